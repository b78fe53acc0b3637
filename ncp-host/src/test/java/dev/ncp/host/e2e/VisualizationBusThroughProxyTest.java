package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.VisualizationClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * The visualization bus seen from outside: the websocket carries each request from received to finish, the status
 * endpoint reports settings and counters, the upgrade request is authenticated, and the request id travels upstream.
 */
class VisualizationBusThroughProxyTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String FALLBACK = "meta/llama-3.3-70b-instruct";
    private static final String TOOL_CALL_STREAM = """
            {"model":"claude-sonnet-4-6","max_tokens":512,"stream":true,
             "tools":[{"name":"Bash","description":"Run a command","input_schema":{"type":"object"}}],
             "messages":[{"role":"user","content":"List /tmp"}]}""";

    @Test
    void aWebsocketSubscriberSeesEachRequestFromReceivedToFinish() throws Exception {
        try (var h = ProxyHarness.start(); var socket = VisualizationClient.connect(h.baseUrl())) {
            h.upstream().enqueue(Script.fixture("text-then-tool-call.sse"));
            Wire.Reply reply = Wire.post(h, "/v1/messages", TOOL_CALL_STREAM);
            assertEquals(200, reply.status());

            List<JsonNode> events = socket.requestUntilFinish(reply.header("request-id"), WAIT);
            assertEquals(List.of("received", "routed", "upstream_first_byte", "first_token", "block_start",
                    "block_stop", "tool_call", "block_stop", "usage", "finish"),
                    events.stream().map(e -> e.path("type").asText()).toList());
            JsonNode received = events.get(0);
            assertEquals("local", received.path("principal").asText());
            assertEquals("claude-sonnet-4-6", received.path("model").asText());
            assertTrue(received.path("stream").asBoolean());
            JsonNode routed = events.get(1);
            assertEquals(reply.header("x-ncp-model"), routed.path("model").asText());
            assertEquals("alias", routed.path("route").asText());
            JsonNode text = events.get(5);
            assertEquals("text", text.path("kind").asText());
            assertEquals("Let me check.".length(), text.path("chars").asInt());
            JsonNode tool = events.get(6);
            assertEquals("Bash", tool.path("name").asText());
            assertTrue(tool.path("id").asText().startsWith("toolu_"), tool.toString());
            JsonNode finish = events.get(9);
            assertEquals(5210, finish.path("input_tokens").asInt());
            assertEquals(48, finish.path("output_tokens").asInt());
            assertEquals(200, finish.path("status").asInt());
            long seq = 0;
            for (JsonNode e : events) {
                assertTrue(e.path("seq").asLong() > seq, "events arrive in sequence order: " + events);
                seq = e.path("seq").asLong();
            }
        }
    }

    @Test
    void retriesAndAFallbackArePublishedAndTheFinishNamesTheModelThatAnswered() throws Exception {
        try (var h = ProxyHarness.start(Map.of("NCP_MAX_RETRIES", "1", "NCP_RETRY_BACKOFF_MS", "0",
                "NCP_FALLBACK_MODELS", FALLBACK));
             var socket = VisualizationClient.connect(h.baseUrl())) {
            h.upstream().enqueue(Script.error("nim-503-overloaded"))      // the primary fails,
                    .enqueue(Script.error("nim-503-overloaded"))         // is retried once and fails again,
                    .enqueue(Script.fixture("text-then-tool-call.sse")); // so the fallback answers
            Wire.Reply reply = Wire.post(h, "/v1/messages", TOOL_CALL_STREAM);
            assertEquals(200, reply.status());
            assertTrue(reply.text().contains("event: message_stop"), reply.text());

            List<JsonNode> events = socket.requestUntilFinish(reply.header("request-id"), WAIT);
            assertEquals(List.of("received", "routed", "retry", "fallback", "upstream_first_byte", "first_token",
                    "block_start", "block_stop", "tool_call", "block_stop", "usage", "finish"),
                    events.stream().map(e -> e.path("type").asText()).toList());
            String primary = events.get(1).path("model").asText();
            JsonNode retry = events.get(2);
            assertEquals(primary, retry.path("model").asText());
            assertEquals(2, retry.path("attempt").asInt(), "the primary's second attempt: " + retry);
            assertEquals("overloaded_error", retry.path("reason").asText());
            assertEquals(0, retry.path("delay_ms").asLong());
            JsonNode fallback = events.get(3);
            assertEquals(primary, fallback.path("from").asText());
            assertEquals(FALLBACK, fallback.path("to").asText());
            assertEquals("overloaded_error", fallback.path("reason").asText());
            JsonNode finish = events.get(11);
            assertEquals("claude-sonnet-4-6", finish.path("requested").asText());
            assertEquals(FALLBACK, finish.path("model").asText(), "the model that answered: " + finish);
            assertEquals("fallback", finish.path("route").asText());
            assertEquals(200, finish.path("status").asInt());
            // A stream's headers went out with message_start, before any upstream answered: they name the first
            // candidate (docs/observability.md).
            assertEquals(primary, reply.header("x-ncp-model"));
            assertEquals(3, h.upstream().requests().size());
        }
    }

    @Test
    void reasoningIsPublishedAsAThinkingBlockWithItsSizeNeverItsText() throws Exception {
        try (var h = ProxyHarness.start(); var socket = VisualizationClient.connect(h.baseUrl())) {
            h.upstream().enqueue(Script.fixture("reasoning-content-then-text.sse"));
            Wire.Reply reply = Wire.post(h, "/v1/messages", """
                    {"model":"claude-opus-4-7","max_tokens":4096,"stream":true,
                     "messages":[{"role":"user","content":"What is 17*23?"}]}""");
            assertEquals(200, reply.status());

            List<JsonNode> events = socket.requestUntilFinish(reply.header("request-id"), WAIT);
            assertEquals(List.of("received", "routed", "upstream_first_byte", "first_token", "block_start",
                    "block_stop", "block_start", "block_stop", "usage", "finish"),
                    events.stream().map(e -> e.path("type").asText()).toList());
            assertEquals(List.of("content", "content", "content", "content"),
                    events.subList(4, 8).stream().map(e -> e.path("lane").asText()).toList());
            assertEquals("thinking", events.get(4).path("kind").asText());
            assertEquals(0, events.get(4).path("index").asInt());
            JsonNode thought = events.get(5);
            assertEquals("thinking", thought.path("kind").asText());
            assertEquals("The user asks for 17*23. 17*20=340, 17*3=51, total 391.".length(),
                    thought.path("chars").asInt(), thought.toString());
            assertEquals("text", events.get(6).path("kind").asText());
            assertEquals(1, events.get(6).path("index").asInt());
            assertEquals("The answer is 391.".length(), events.get(7).path("chars").asInt());
            assertTrue(events.stream().noneMatch(e -> e.toString().contains("17*20")), "no reasoning text: " + events);
            assertEquals(70, events.get(8).path("output_tokens").asInt());
        }
    }

    @Test
    void withUsageSnapshotsEachBlockIsFollowedByAUsageEvent() throws Exception {
        try (var h = ProxyHarness.start(Map.of("R2_MESSAGE_DELTA_EVERY_BLOCK", "true"));
             var socket = VisualizationClient.connect(h.baseUrl())) {
            h.upstream().enqueue(Script.fixture("text-then-tool-call.sse"));
            Wire.Reply reply = Wire.post(h, "/v1/messages", TOOL_CALL_STREAM);
            assertEquals(200, reply.status());

            List<JsonNode> events = socket.requestUntilFinish(reply.header("request-id"), WAIT);
            assertEquals(List.of("received", "routed", "upstream_first_byte", "first_token", "block_start",
                    "block_stop", "usage", "tool_call", "block_stop", "usage", "usage", "finish"),
                    events.stream().map(e -> e.path("type").asText()).toList());
            List<JsonNode> usage = events.stream().filter(e -> e.path("type").asText().equals("usage")).toList();
            // Snapshots carry ncp's running estimate; the last one the upstream's own count.
            assertTrue(usage.get(0).path("output_tokens").asInt() > 0, usage.toString());
            assertTrue(usage.get(1).path("output_tokens").asInt() > usage.get(0).path("output_tokens").asInt(),
                    "the count grows block by block: " + usage);
            assertEquals(List.of(5210, 48), List.of(usage.get(2).path("input_tokens").asInt(),
                    usage.get(2).path("output_tokens").asInt()));
            assertTrue(usage.stream().allMatch(u -> u.path("lane").asText().equals("diagnostics")), usage.toString());
            JsonNode finish = events.getLast();
            assertEquals(48, finish.path("output_tokens").asInt());
        }
    }

    @Test
    void aBreakerThatOpensIsPublishedOutsideAnyRequest() throws Exception {
        try (var h = ProxyHarness.start(Map.of("NCP_MAX_RETRIES", "0", "NCP_BREAKER_FAILURES", "1"));
             var socket = VisualizationClient.connect(h.baseUrl())) {
            h.upstream().enqueue(Script.error("nim-503-overloaded"));
            Wire.Reply reply = Wire.post(h, "/v1/messages", TOOL_CALL_STREAM);
            assertTrue(reply.text().contains("overloaded_error"), reply.text());

            JsonNode breaker = socket.until(m -> m.path("type").asText().equals("breaker"), WAIT).getLast();
            assertEquals("-", breaker.path("request_id").asText(), "breakers are shared by every request");
            assertEquals("diagnostics", breaker.path("lane").asText());
            assertEquals(reply.header("x-ncp-model"), breaker.path("breaker").asText());
            assertEquals("closed", breaker.path("from").asText());
            assertEquals("open", breaker.path("to").asText());
            assertTrue(breaker.path("seq").asLong() > 0, breaker.toString());
        }
    }

    @Test
    void aRefusedRequestIsPublishedWithItsError() throws Exception {
        try (var h = ProxyHarness.start(); var socket = VisualizationClient.connect(h.baseUrl())) {
            Wire.Reply reply = Wire.post(h, "/v1/messages", "{\"model\":\"claude-opus-4-7\",\"messages\":[]}");
            assertEquals(400, reply.status());
            List<JsonNode> events = socket.requestUntilFinish(reply.header("request-id"), WAIT);
            assertEquals(List.of("received", "error", "finish"), events.stream().map(e -> e.path("type").asText())
                    .toList());
            assertEquals("invalid_request_error", events.get(1).path("error_type").asText());
            assertEquals(400, events.get(2).path("status").asInt());
            assertEquals("error", events.get(2).path("outcome").asText());
        }
    }

    @Test
    void theStatusEndpointReportsTheSettingsAndTheBusCounters() throws Exception {
        try (var h = ProxyHarness.start(Map.of("R2_STREAM_VISUALIZATION", "true", "NCP_VISUALIZATION_BUFFER", "64"));
             var socket = VisualizationClient.connect(h.baseUrl())) {
            h.upstream().enqueue(Script.fixture("text-then-tool-call.sse"));
            String id = Wire.post(h, "/v1/messages", TOOL_CALL_STREAM).header("request-id");
            socket.requestUntilFinish(id, WAIT);

            Wire.Reply reply = Wire.send(h, "GET", "/v1/stream/visualization", Map.of(), null);
            assertEquals(200, reply.status(), reply.text());
            JsonNode status = reply.json();
            assertTrue(status.path("side_channel").path("enabled").asBoolean());
            assertEquals("ncp_visualization", status.path("side_channel").path("event").asText());
            assertEquals("/ws/stream-visualization", status.path("websocket").asText());
            assertEquals(64, status.path("buffer_per_subscriber").asInt());
            assertEquals(1, status.path("subscribers").asInt());
            assertEquals(10, status.path("published").asInt());
            assertEquals(0, status.path("dropped").asInt());
            assertEquals(0, status.path("active_streams").asInt());
            JsonNode subscription = status.path("subscriptions").get(0);
            assertEquals(10, subscription.path("delivered").asInt());
            assertEquals(0, subscription.path("dropped").asInt());
        }
    }

    @Test
    void theWebsocketUpgradeNeedsTheProxyKeyLikeEveryOtherEndpoint() throws Exception {
        try (var h = ProxyHarness.start(Map.of("PROXY_API_KEY", "sk-ncp-ws-test"));
             var http = HttpClient.newHttpClient()) {
            URI uri = URI.create(h.baseUrl().replace("http", "ws") + "/ws/stream-visualization");
            var refused = assertThrows(CompletionException.class, () -> http.newWebSocketBuilder()
                    .buildAsync(uri, new WebSocket.Listener() { }).join());
            var handshake = assertInstanceOf(WebSocketHandshakeException.class, refused.getCause());
            assertEquals(401, handshake.getResponse().statusCode());

            WebSocket allowed = http.newWebSocketBuilder().header("x-api-key", "sk-ncp-ws-test")
                    .buildAsync(uri, new WebSocket.Listener() { }).join();
            allowed.abort();
        }
    }

    @Test
    void theRequestIdIsSentUpstreamAsXRequestId() {
        try (var h = ProxyHarness.start()) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            Wire.Reply reply = Wire.post(h, "/v1/messages", "{\"model\":\"claude-opus-4-7\",\"max_tokens\":64,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
            assertEquals(200, reply.status(), reply.text());
            Wire.assertRequestId(reply);
            assertEquals(reply.header("request-id"), h.upstream().requests().get(0).header("x-request-id"));
        }
    }
}
