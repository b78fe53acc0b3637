package dev.ncp.host.e2e;

import static dev.ncp.host.testing.HttpCalls.get;
import static dev.ncp.host.testing.HttpCalls.header;
import static dev.ncp.host.testing.HttpCalls.messagesBody;
import static dev.ncp.host.testing.HttpCalls.postMessages;
import static dev.ncp.host.testing.HttpCalls.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.host.testing.CapturedOutput;
import dev.ncp.host.testing.PrometheusText;
import java.util.List;
import dev.ncp.host.testing.HttpCalls;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.RawHttp;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What keeps others out: web pages (Host and Origin checks, no CORS unless configured), the dashboard, websocket and
 * metrics behind the same auth (browsers via short-lived tokens), clients' own upstream keys, and keys kept out of
 * every log line and error.
 */
@Timeout(60)
class AuthHardeningTest {

    private static final String PROXY_KEY = "sk-ncp-proxykey-0123456789abcdefghij";
    private static final String CLIENT_NVIDIA_KEY = "nvapi-client-own-key-9876543210zyxwvu";

    private static int status(ProxyHarness h, String head) throws Exception {
        return RawHttp.exchange(h.baseUrl(), head, new byte[0]).status();
    }

    @Test
    void aForeignHostIsRefusedWhileOnLoopbackWhichStopsDnsRebinding() throws Exception {
        try (var h = ProxyHarness.start()) {
            int port = URI.create(h.baseUrl()).getPort();
            var rebound = RawHttp.exchange(h.baseUrl(), "GET /v1/models HTTP/1.1\r\nHost: evil.example:" + port,
                    new byte[0]);
            assertEquals(403, rebound.status(), rebound.toString());
            assertTrue(rebound.body().contains("\"permission_error\""), rebound.body());
            for (String host : new String[] {"127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, "localhost"}) {
                assertEquals(200, status(h, "GET /health HTTP/1.1\r\nHost: " + host), host);
            }
            assertEquals(403, status(h, "GET /health HTTP/1.1\r\nHost: 127.0.0.1.evil.example:" + port));
        }
    }

    @Test
    void aForeignOriginIsRefusedOnEveryRequestAndNoCorsHeadersAreSent() throws Exception {
        try (var h = ProxyHarness.start()) {
            var evil = Map.of("Origin", "https://evil.example");
            var page = get(h.baseUrl(), "/health", evil);
            assertEquals(403, page.statusCode());
            assertTrue(text(page).contains("permission_error"), text(page));
            var post = postMessages(h.baseUrl(), messagesBody(false, "hi"), evil);
            assertEquals(403, post.statusCode());
            assertEquals(0, h.upstream().requests().size());
            assertEquals(403, get(h.baseUrl(), "/health", Map.of("Origin", "null")).statusCode());

            var own = get(h.baseUrl(), "/health", Map.of("Origin", h.baseUrl()));
            assertEquals(200, own.statusCode(), "the dashboard's own page may call its proxy");
            assertNull(header(own, "access-control-allow-origin"));
        }
    }

    @Test
    void corsHeadersOnlyForConfiguredOrigins() throws Exception {
        try (var h = ProxyHarness.start(Map.of("NCP_CORS_ORIGINS", "https://tools.example.com"))) {
            var allowed = get(h.baseUrl(), "/health", Map.of("Origin", "https://tools.example.com"));
            assertEquals(200, allowed.statusCode());
            assertEquals("https://tools.example.com", header(allowed, "access-control-allow-origin"));
            var preflight = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(h.baseUrl()
                            + "/v1/messages")).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://tools.example.com").header("Access-Control-Request-Method", "POST")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(204, preflight.statusCode(), preflight.body());
            assertTrue(header(preflight, "access-control-allow-headers").contains("x-api-key"));
            assertEquals(403, get(h.baseUrl(), "/health", Map.of("Origin", "https://other.example")).statusCode());
        }
    }

    @Test
    void dashboardWebsocketAndMetricsNeedTheKeyOrAShortLivedToken() throws Exception {
        try (var h = ProxyHarness.start(Map.of("PROXY_API_KEY", PROXY_KEY))) {
            var key = Map.of("x-api-key", PROXY_KEY);
            assertEquals(401, get(h.baseUrl(), "/metrics", Map.of()).statusCode());
            assertEquals(200, get(h.baseUrl(), "/metrics", key).statusCode());
            assertEquals(401, get(h.baseUrl(), "/dashboard/stream", Map.of()).statusCode());
            assertEquals(401, get(h.baseUrl(), "/dashboard/assets/stream.js", Map.of()).statusCode());
            URI ws = URI.create(h.baseUrl().replace("http://", "ws://") + "/ws/stream-visualization");
            assertThrows(Exception.class, () -> HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(ws, new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS));

            var unauthenticated = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(h.baseUrl()
                    + "/v1/ncp/dashboard-token")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, unauthenticated.statusCode());
            var issued = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(h.baseUrl()
                    + "/v1/ncp/dashboard-token")).header("x-api-key", PROXY_KEY)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, issued.statusCode(), issued.body());
            var json = Wire.json(issued.body());
            String token = json.path("token").asText();
            assertEquals(60, json.path("expires_in").asInt());

            var page = get(h.baseUrl(), "/dashboard/stream?token=" + token, Map.of());
            assertEquals(200, page.statusCode(), text(page));
            assertTrue(text(page).contains("/dashboard/assets/stream.js?token=" + token), "assets carry the token");
            assertEquals(200, get(h.baseUrl(), "/dashboard/assets/stream.js?token=" + token, Map.of()).statusCode());
            var socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create(ws + "?token=" + token), new WebSocket.Listener() { })
                    .get(10, TimeUnit.SECONDS);
            socket.abort();

            assertEquals(401, get(h.baseUrl(), "/metrics?token=" + token, Map.of()).statusCode(),
                    "tokens open the dashboard's paths only");
            assertEquals(401, postMessages(h.baseUrl() + "", messagesBody(false, "hi"), Map.of()).statusCode());
            assertEquals(401, get(h.baseUrl(), "/dashboard/stream?token=forged", Map.of()).statusCode());
        }
    }

    @Test
    void keyPassthroughSendsTheClientsOwnKeyUpstreamAndNamesThePrincipalByItsHash() throws Exception {
        try (var h = ProxyHarness.start(Map.of("NCP_KEY_PASSTHROUGH", "true", "PROXY_API_KEY", PROXY_KEY))) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            var own = postMessages(h.baseUrl(), messagesBody(false, "hi"),
                    Map.of("Authorization", "Bearer " + CLIENT_NVIDIA_KEY));
            assertEquals(200, own.statusCode(), text(own));
            assertEquals("Bearer " + CLIENT_NVIDIA_KEY, h.upstream().requests().getLast().header("authorization"));

            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            assertEquals(200, postMessages(h.baseUrl(), messagesBody(false, "hi"), Map.of("x-api-key", PROXY_KEY))
                    .statusCode());
            assertEquals("Bearer " + ProxyHarness.UPSTREAM_KEY,
                    h.upstream().requests().getLast().header("authorization"), "others use ncp's own key");
            assertEquals(401, postMessages(h.baseUrl(), messagesBody(false, "hi"), Map.of("x-api-key", "guess"))
                    .statusCode());
        }
    }

    @Test
    void aClientsOwnNvidiaKeyOpensOnlyTheMessagesEndpointsNeverTheProxysOwn() throws Exception {
        String bogus = "nvapi-made-up-by-anyone-0000000000";
        try (var h = ProxyHarness.start(Map.of("NCP_KEY_PASSTHROUGH", "true", "PROXY_API_KEY", PROXY_KEY))) {
            var own = Map.of("x-api-key", bogus);
            for (String path : new String[] {"/metrics", "/health", "/v1/ncp/sessions", "/v1/models",
                    "/v1/stream/visualization", "/dashboard/stream"}) {
                var r = get(h.baseUrl(), path, own);
                assertEquals(401, r.statusCode(), path + ": " + text(r));
                assertTrue(text(r).contains("authentication_error"), text(r));
                assertEquals(401, get(h.baseUrl(), path, Map.of("Authorization", "Bearer " + bogus)).statusCode(),
                        path);
            }
            var token = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(h.baseUrl()
                    + "/v1/ncp/dashboard-token")).header("x-api-key", bogus)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, token.statusCode(), token.body());
            URI ws = URI.create(h.baseUrl().replace("http://", "ws://") + "/ws/stream-visualization");
            var upgrade = assertThrows(java.util.concurrent.CompletionException.class, () -> HttpClient.newHttpClient()
                    .newWebSocketBuilder().header("x-api-key", bogus).buildAsync(ws, new WebSocket.Listener() { })
                    .join());
            assertEquals(401, assertInstanceOf(WebSocketHandshakeException.class, upgrade.getCause()).getResponse()
                    .statusCode());

            // Where it is spent, NVIDIA judges it: the request goes upstream carrying exactly that key.
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            var spent = postMessages(h.baseUrl(), messagesBody(false, "hi"), own);
            assertEquals(200, spent.statusCode(), text(spent));
            assertEquals("Bearer " + bogus, h.upstream().requests().getLast().header("authorization"));
            assertEquals(1, h.upstream().requests().size());
        }
    }

    @Test
    void keyPassthroughOnLoopbackAloneKeepsOpenModeForTheRest() throws Exception {
        try (var h = ProxyHarness.start(Map.of("NCP_KEY_PASSTHROUGH", "true"))) {
            assertEquals(200, get(h.baseUrl(), "/health", Map.of()).statusCode());
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            assertEquals(200, postMessages(h.baseUrl(), messagesBody(false, "hi"), Map.of()).statusCode());
            assertEquals("Bearer " + ProxyHarness.UPSTREAM_KEY,
                    h.upstream().requests().getLast().header("authorization"));
        }
    }

    @Test
    void metricsCountRequestsPerPrincipalNeverPerKey() throws Exception {
        try (var h = ProxyHarness.start(Map.of("NCP_KEY_PASSTHROUGH", "true", "PROXY_API_KEY", PROXY_KEY))) {
            for (var key : List.of(Map.of("x-api-key", PROXY_KEY), Map.of("x-api-key", PROXY_KEY),
                    Map.of("x-api-key", CLIENT_NVIDIA_KEY))) {
                h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
                assertEquals(200, postMessages(h.baseUrl(), messagesBody(false, "hi"), key).statusCode());
            }
            assertEquals(401, postMessages(h.baseUrl(), messagesBody(false, "hi"), Map.of()).statusCode());
            String text = text(get(h.baseUrl(), "/metrics", Map.of("x-api-key", PROXY_KEY)));
            var metrics = PrometheusText.parse(text);
            assertEquals(2, metrics.sum("ncp_requests_total", "principal", "proxy-key", "status", "200"), text);
            var own = metrics.matching("ncp_requests_total", "status", "200").stream()
                    .map(sample -> sample.labels().get("principal")).filter(p -> p.startsWith("passthrough:")).toList();
            String hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(CLIENT_NVIDIA_KEY.getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 12);
            assertEquals(List.of("passthrough:" + hash), own, text);
            assertEquals(1, metrics.sum("ncp_requests_total", "principal", "anonymous", "status", "401"), text);
            assertFalse(text.contains(PROXY_KEY) || text.contains(CLIENT_NVIDIA_KEY), "no key in the metrics");
        }
    }

    @Test
    void aBindBeyondLoopbackWarnsLoudlyOnce() throws Exception {
        try (var out = new CapturedOutput();
             var h = ProxyHarness.start(Map.of("PROXY_HOST", "0.0.0.0", "PROXY_API_KEY", PROXY_KEY))) {
            long warnings = out.text().lines().filter(l -> l.contains("WARN")
                    && l.contains("exposes ncp beyond this machine")).count();
            assertEquals(1, warnings, out.text());
            assertFalse(out.text().contains(PROXY_KEY));
        }
    }

    @Test
    void noKeyReachesALogLineOrAnErrorBody() throws Exception {
        try (var out = new CapturedOutput()) {
            try (var h = ProxyHarness.start(Map.of("PROXY_API_KEY", PROXY_KEY, "NCP_KEY_PASSTHROUGH", "true"))) {
                h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
                assertEquals(200, postMessages(h.baseUrl(), messagesBody(false, "hi"),
                        Map.of("x-api-key", PROXY_KEY)).statusCode());
                // The upstream refuses the client's own key and echoes it in its error body.
                h.upstream().enqueue(Script.status(401, Map.of(), "{\"error\":{\"message\":\"Invalid key "
                        + CLIENT_NVIDIA_KEY + "\"}}"));
                var refused = postMessages(h.baseUrl(), messagesBody(false, "hi"),
                        Map.of("Authorization", "Bearer " + CLIENT_NVIDIA_KEY));
                assertTrue(refused.statusCode() / 100 == 4 || refused.statusCode() / 100 == 5, text(refused));
                assertFalse(text(refused).contains(CLIENT_NVIDIA_KEY), text(refused));
                var wrong = postMessages(h.baseUrl(), messagesBody(false, "hi"),
                        Map.of("x-api-key", "sk-ncp-wrong-0123456789abcdefghijkl"));
                assertFalse(text(wrong).contains("sk-ncp-wrong"), text(wrong));
                get(h.baseUrl(), "/health", Map.of("x-api-key", PROXY_KEY));
                HttpCalls.get(h.baseUrl(), "/v1/ncp/sessions", Map.of("Authorization", "Bearer " + PROXY_KEY));
                Thread.sleep(200); // access log lines are written after the answer
            }
            String logs = out.text();
            assertTrue(logs.contains("principal=passthrough:"), "the run did log its requests");
            for (String secret : new String[] {PROXY_KEY, CLIENT_NVIDIA_KEY, ProxyHarness.UPSTREAM_KEY,
                    "sk-ncp-wrong-0123456789abcdefghijkl"}) {
                assertFalse(logs.contains(secret), "a key in the logs: " + secret);
            }
        }
    }
}
