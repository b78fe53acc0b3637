package dev.ncp.host.e2e;

import static dev.ncp.host.testing.HttpCalls.messagesBody;
import static dev.ncp.host.testing.HttpCalls.postMessages;
import static dev.ncp.host.testing.HttpCalls.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.testing.HttpCalls;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.RawHttp;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile input through real HTTP: each gets a clean Anthropic 4xx ({@code {"type":"error","error":{...}}}), and the
 * proxy keeps serving — after every test an ordinary request must succeed.
 */
@Timeout(60)
class HostileInputTest {

    private static ProxyHarness h;

    @BeforeAll
    static void start() {
        h = ProxyHarness.start(Map.of("MAX_REQUEST_BODY_MB", "1"));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @AfterEach
    void theProxyStillServesAnOrdinaryRequest() {
        h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
        var ok = postMessages(h.baseUrl(), messagesBody(false, "still there?"), Map.of());
        assertEquals(200, ok.statusCode(), text(ok));
    }

    private static JsonNode anthropicError(int status, String type, int actualStatus, String body) {
        assertEquals(status, actualStatus, body);
        JsonNode json = Wire.json(body.substring(body.indexOf('{'), body.lastIndexOf('}') + 1));
        assertEquals("error", json.path("type").asText(), body);
        assertEquals(type, json.path("error").path("type").asText(), body);
        return json.path("error");
    }

    private static JsonNode invalid(HttpResponse<byte[]> r) {
        return anthropicError(400, "invalid_request_error", r.statusCode(), text(r));
    }

    private static HttpResponse<byte[]> post(byte[] body, String contentType) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(h.baseUrl() + "/v1/messages"))
                .timeout(HttpCalls.TIMEOUT).header("content-type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void bodiesOverTheLimitGet413WithAndWithoutContentLength() throws Exception {
        byte[] huge = ("{\"model\":\"claude-opus-4-5\",\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        // Several times: the client is still sending when the 413 is written, and a server that closes on unread
        // bytes loses the answer to a TCP reset now and then.
        for (int i = 0; i < 5; i++) {
            var announced = post(huge, "application/json");
            anthropicError(413, "request_too_large", announced.statusCode(), text(announced));
        }

        var chunked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(h.baseUrl() + "/v1/messages"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(huge))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        anthropicError(413, "request_too_large", chunked.statusCode(), text(chunked));
    }

    @Test
    void tenThousandDeepNestingIsRefusedNamingTheLimit() throws Exception {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        String body = messagesBody(false, "hi").replace("\"stream\"", "\"metadata\":{\"x\":" + deep + "},\"stream\"");
        var error = invalid(post(body.getBytes(StandardCharsets.UTF_8), "application/json"));
        assertTrue(error.path("message").asText().contains("NCP_MAX_JSON_DEPTH"), error.toString());
        assertTrue(error.path("message").asText().contains("100"), error.toString());
    }

    @Test
    void invalidUtf8IsRefused() throws Exception {
        byte[] prefix = "{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\""
                .getBytes(StandardCharsets.US_ASCII);
        var out = new ByteArrayOutputStream();
        out.write(prefix);
        out.write(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE});
        out.write("\"}]}".getBytes(StandardCharsets.US_ASCII));
        var error = invalid(post(out.toByteArray(), "application/json"));
        assertTrue(error.path("message").asText().contains("not valid JSON"), error.toString());
    }

    @Test
    void aLoneSurrogateEscapeIsRefusedAsAnthropicDoes() throws Exception {
        byte[] body = ("{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"cut emoji \\ud83d here\"}]}").getBytes(StandardCharsets.US_ASCII);
        var error = invalid(post(body, "application/json"));
        assertTrue(error.path("message").asText().contains("no low surrogate in string"), error.toString());
        var counted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(h.baseUrl()
                        + "/v1/messages/count_tokens")).timeout(HttpCalls.TIMEOUT).header("content-type",
                        "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        invalid(counted);
    }

    @Test
    void aBodyThatIsNotDeclaredAsJsonIsRefused() throws Exception {
        var error = invalid(post(messagesBody(false, "hi").getBytes(StandardCharsets.UTF_8), "text/plain"));
        assertTrue(error.path("message").asText().contains("application/json"), error.toString());
        invalid(post("a=b".getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded"));
    }

    @Test
    void tenThousandToolsAreRefused() throws Exception {
        var tools = new StringBuilder("[");
        for (int i = 0; i < 10_000; i++) {
            tools.append(i == 0 ? "" : ",").append("{\"name\":\"t").append(i)
                    .append("\",\"input_schema\":{\"type\":\"object\"}}");
        }
        String body = messagesBody(false, "hi").replace("\"stream\"", "\"tools\":" + tools + "],\"stream\"");
        var error = invalid(post(body.getBytes(StandardCharsets.UTF_8), "application/json"));
        assertTrue(error.path("message").asText().contains("at most 1000 tools"), error.toString());
    }

    @Test
    void negativeAndAbsurdMaxTokensAreRefusedOrClamped() throws Exception {
        for (String bad : new String[] {"-1", "0", "99999999999999999999", "1e400", "\"many\""}) {
            invalid(post(messagesBody(false, "hi").replace("64", bad).getBytes(StandardCharsets.UTF_8),
                    "application/json"));
        }
        int ceiling = h.server().registry().largestContextWindow();
        var absurd = invalid(post(messagesBody(false, "hi").replace("64", "2000000000")
                .getBytes(StandardCharsets.UTF_8), "application/json"));
        assertEquals("max_tokens: 2000000000 > " + ceiling + ", which is the maximum allowed number of output tokens "
                + "for any model this ncp proxy serves", absurd.path("message").asText());
        int before = h.upstream().requests().size();
        invalid(post(messagesBody(false, "hi").replace("64", Integer.toString(ceiling + 1))
                .getBytes(StandardCharsets.UTF_8), "application/json"));
        assertEquals(before, h.upstream().requests().size(), "refused before any upstream call");

        // What Claude Code sends (32000 for most turns, 128000 for Opus with thinking) is clamped, never refused.
        for (int claudeCode : new int[] {32_000, 128_000, ceiling}) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            var clamped = post(messagesBody(false, "hi").replace("64", Integer.toString(claudeCode))
                    .getBytes(StandardCharsets.UTF_8), "application/json");
            assertEquals(200, clamped.statusCode(), text(clamped));
            int sent = h.upstream().requests().getLast().json().path("max_tokens").asInt();
            assertTrue(sent > 0 && sent <= claudeCode, "clamped to the model's output limit, got " + sent);
        }
    }

    @Test
    void pathLikeAndControlCharacterModelNamesAreRefused() throws Exception {
        int before = h.upstream().requests().size();
        for (String name : new String[] {"../../etc/passwd", "qwen/../../secret", "./x", "a//b", "/etc/passwd",
                "claude\\u0000opus", "claude\\r\\nX-Injected: 1", "<script>", "model name", "x".repeat(300),
                "qwen\\u202eqwen"}) {
            var r = post(messagesBody(false, "hi").replace("claude-opus-4-5", name)
                    .getBytes(StandardCharsets.UTF_8), "application/json");
            var error = invalid(r);
            assertTrue(error.path("message").asText().startsWith("model: not a valid model name"), error.toString());
            assertFalse(text(r).contains("root:"), "no file content");
        }
        assertEquals(before, h.upstream().requests().size(), "none reached the upstream");
        for (String fine : new String[] {"claude-opus-4-5-20251101", "qwen/qwen3-coder-480b-a35b-instruct",
                "claude-3-5-haiku@20241022", "nvidia/llama-3.3-nemotron-super-49b-v1.5"}) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            var ok = post(messagesBody(false, "hi").replace("claude-opus-4-5", fine)
                    .getBytes(StandardCharsets.UTF_8), "application/json");
            assertEquals(200, ok.statusCode(), fine + ": " + text(ok));
        }
        var lookup = HttpCalls.get(h.baseUrl(), "/v1/models/..%2F..%2Fetc%2Fpasswd", Map.of());
        anthropicError(404, "not_found_error", lookup.statusCode(), text(lookup));
    }

    @Test
    void crOrLfInsideAHeaderGetsACleanBadRequest() throws Exception {
        String auth = RawHttp.authority(h.baseUrl());
        for (String header : new String[] {"X-Evil: a\rb", "X-Evil: a\r\nnot a header line", "X-Evil: a\nb c"}) {
            var answer = RawHttp.exchange(h.baseUrl(), "POST /v1/messages HTTP/1.1\r\nHost: " + auth + "\r\n"
                    + header + "\r\nContent-Type: application/json\r\nContent-Length: 2", "{}".getBytes());
            assertTrue(answer.status() == 400, answer.toString());
            anthropicError(400, "invalid_request_error", answer.status(), answer.body());
        }
    }

    @Test
    void anOversizedHeaderBlockGets431() throws Exception {
        var answer = RawHttp.exchange(h.baseUrl(), "GET /health HTTP/1.1\r\nHost: " + RawHttp.authority(h.baseUrl())
                + "\r\nX-Big: " + "a".repeat(64 * 1024), new byte[0]);
        anthropicError(431, "invalid_request_error", answer.status(), answer.body());
    }

    @Test
    void aWebsocketFloodIsBounded() throws Exception {
        var client = HttpClient.newHttpClient();
        URI ws = URI.create(h.baseUrl().replace("http://", "ws://") + "/ws/stream-visualization");
        var sockets = new java.util.ArrayList<WebSocket>();
        var closeCodes = new ConcurrentHashMap<WebSocket, Integer>();
        var listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onClose(WebSocket s, int code, String why) {
                closeCodes.put(s, code);
                return null;
            }
        };
        for (int i = 0; i < 100; i++) {
            sockets.add(client.newWebSocketBuilder().buildAsync(ws, listener).get(10, TimeUnit.SECONDS));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (closeCodes.size() < 36 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(36, closeCodes.size(), "connections beyond 64 are closed");
        assertTrue(closeCodes.values().stream().allMatch(c -> c == 1013), "1013 try again later: " + closeCodes);
        var first = sockets.getFirst();
        for (int i = 0; i < 1000; i++) {
            first.sendText("flood " + i, true).get(5, TimeUnit.SECONDS);
        }
        assertFalse(closeCodes.containsKey(first), "small messages are ignored, not fatal");
        first.sendText("x".repeat(64 * 1024), true); // over the 4 KB incoming message limit
        deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!closeCodes.containsKey(first) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(1009, closeCodes.get(first), "message too big closes the socket");
        for (var s : sockets) {
            s.abort();
        }
    }

    @Test
    void aForeignOriginWebsocketUpgradeIsRefused() {
        URI ws = URI.create(h.baseUrl().replace("http://", "ws://") + "/ws/stream-visualization");
        var refused = assertThrows(CompletionException.class, () -> HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Origin", "https://evil.example").buildAsync(ws, new WebSocket.Listener() { }).join());
        assertEquals(403, assertInstanceOf(WebSocketHandshakeException.class, refused.getCause()).getResponse()
                .statusCode());
    }

    @Test
    void aSlowlorisBodyIsCutOffWhileOthersAreServed() throws Exception {
        try (var slow = ProxyHarness.start(Map.of("NCP_CLIENT_BODY_TIMEOUT_SECONDS", "2"));
             var socket = RawHttp.connect(slow.baseUrl(), 10_000)) {
            var out = socket.getOutputStream();
            out.write(RawHttp.messagesPostHead(slow.baseUrl(), 1000));
            out.write("{".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long started = System.nanoTime();
            // One byte every 500 ms: never silent long enough for the 30 s idle timeout.
            var trickler = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 40; i++) {
                        Thread.sleep(500);
                        out.write(' ');
                        out.flush();
                    }
                } catch (Exception cutOff) {
                    // the proxy closed the connection: what this test wants
                }
            });
            slow.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            var meanwhile = postMessages(slow.baseUrl(), messagesBody(false, "meanwhile"), Map.of());
            assertEquals(200, meanwhile.statusCode(), "others are served while the slow body drips");

            var answer = RawHttp.read(socket.getInputStream());
            long waitedMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
            trickler.interrupt();
            assertTrue(waitedMs >= 1_900 && waitedMs < 5_000, "cut after " + waitedMs + " ms, the bound is 2 s");
            anthropicError(408, "invalid_request_error", answer.status(), answer.body());
            assertTrue(answer.body().contains("NCP_CLIENT_BODY_TIMEOUT_SECONDS"), answer.body());
            assertTrue(answer.head().toLowerCase(java.util.Locale.ROOT).contains("connection: close"), answer.head());
        }
    }

    @Test
    void aStalledBodyIsClosedAfterTheIdleTimeout() throws Exception {
        try (var slow = ProxyHarness.start(Map.of("NCP_CLIENT_IDLE_TIMEOUT_SECONDS", "1"));
             var socket = RawHttp.connect(slow.baseUrl(), 8_000)) {
            var out = socket.getOutputStream();
            out.write(("POST /v1/messages HTTP/1.1\r\nHost: " + RawHttp.authority(slow.baseUrl())
                    + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"model\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long started = System.nanoTime();
            var answer = RawHttp.read(socket.getInputStream()); // answered with an error or closed, not kept open
            long waitedMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertTrue(waitedMs < 7_000, "closed after " + waitedMs + " ms");
            assertTrue(answer.closedWithoutAnswer() || answer.status() / 100 == 4 || answer.status() == 500,
                    answer.toString());
        }
    }
}
