package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.host.config.ConfigException;
import dev.ncp.host.http.Routes;
import dev.ncp.host.testing.HttpCalls;
import dev.ncp.host.testing.ProxyHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * With {@code PROXY_API_KEY} set, no endpoint is open without it: one check per endpoint the server registers
 * (listed from {@link Routes}, so a new endpoint is covered the day it is added) — except the probes open on purpose:
 * Claude Code's {@code /api/hello}, and the supervisors' {@code /healthz} and {@code /readyz}. And open mode never
 * leaves loopback.
 */
@Timeout(60)
class EveryEndpointNeedsTheKeyTest {

    private static final String PROXY_KEY = "sk-ncp-every-endpoint-0123456789abcdef";
    private static final String PROBE = "/api/hello";
    /** The paths that answer without a key, and nothing else. */
    private static final java.util.Set<String> OPEN = java.util.Set.of(PROBE, "/healthz", "/readyz");

    private static ProxyHarness h;

    @BeforeAll
    static void start() {
        h = ProxyHarness.start(Map.of("PROXY_API_KEY", PROXY_KEY));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static HttpResponse<String> send(String method, String path, Map<String, String> headers)
            throws Exception {
        var body = method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}")
                : HttpRequest.BodyPublishers.noBody();
        var b = HttpRequest.newBuilder(URI.create(h.baseUrl() + path)).timeout(HttpCalls.TIMEOUT)
                .header("content-type", "application/json").method(method, body);
        headers.forEach(b::header);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A concrete path for a registered pattern ({@code {id}} and {@code <id>} filled in). */
    private static String concrete(String pattern) {
        return pattern.replaceAll("\\{[^}]+}", "some-id").replaceAll("<[^>]+>", "some/id");
    }

    @TestFactory
    Stream<DynamicTest> everyRegisteredEndpointAnswers401WithoutTheKey() {
        List<Routes.Endpoint> endpoints = h.server().endpoints();
        assertTrue(endpoints.size() >= 14, "the routes were listed: " + endpoints);
        List<DynamicTest> tests = new ArrayList<>();
        for (Routes.Endpoint e : endpoints) {
            if (OPEN.contains(e.path())) {
                continue;
            }
            String method = e.method().name();
            String path = concrete(e.path());
            tests.add(DynamicTest.dynamicTest(method + " " + e.path(), () -> {
                for (var headers : List.of(Map.<String, String>of(), Map.of("x-api-key", "sk-ncp-wrong-key-000000"),
                        Map.of("Authorization", "Bearer nvapi-not-the-proxy-key-00000000"))) {
                    var r = send(method, path, headers);
                    assertEquals(401, r.statusCode(), method + " " + path + " " + headers + ": " + r.body());
                    assertTrue(r.body().contains("\"authentication_error\""), r.body());
                    assertTrue(r.headers().firstValue("request-id").isPresent(), "an Anthropic error has an id");
                }
                assertTrue(send(method, path, Map.of("x-api-key", PROXY_KEY)).statusCode() != 401,
                        "the key opens " + method + " " + path);
            }));
        }
        tests.add(DynamicTest.dynamicTest("websocket " + Routes.WEBSOCKET, () -> {
            URI ws = URI.create(h.baseUrl().replace("http://", "ws://") + Routes.WEBSOCKET);
            var refused = assertThrows(CompletionException.class, () -> HttpClient.newHttpClient()
                    .newWebSocketBuilder().buildAsync(ws, new WebSocket.Listener() { }).join());
            assertEquals(401, assertInstanceOf(WebSocketHandshakeException.class, refused.getCause()).getResponse()
                    .statusCode());
        }));
        return tests.stream();
    }

    @Test
    void claudeCodesConnectivityProbeStaysOpenWhileTheKeyIsSet() throws Exception {
        assertTrue(h.server().endpoints().stream().anyMatch(e -> e.path().equals(PROBE)));
        assertEquals(200, send("HEAD", PROBE, Map.of()).statusCode());
        var get = send("GET", PROBE, Map.of());
        assertEquals(200, get.statusCode(), get.body());
        assertFalse(get.body().contains("ncp"), "the probe reveals nothing: " + get.body());
    }

    @Test
    void theOpenPathsAreExactlyTheProbes() throws Exception {
        assertEquals(OPEN, dev.ncp.host.http.AuthFilter.OPEN_PATHS);
        for (String path : List.of("/healthz", "/readyz")) {
            var r = send("GET", path, Map.of());
            assertTrue(r.statusCode() == 200 || r.statusCode() == 503, path + ": " + r.body());
            for (String secret : List.of("ncp", "version", "127.0.0.1", "memory", "nvapi")) {
                assertFalse(r.body().contains(secret), path + " reveals nothing: " + r.body());
            }
        }
    }

    @Test
    void openModeRefusesToStartBeyondLoopback() {
        var e = assertThrows(IllegalStateException.class, () -> ProxyHarness.start(Map.of("PROXY_HOST", "0.0.0.0")));
        var config = assertInstanceOf(ConfigException.class, e.getCause());
        assertTrue(config.getMessage().contains("PROXY_HOST=0.0.0.0"), config.getMessage());
        assertTrue(config.getMessage().contains("PROXY_API_KEY"), config.getMessage());
    }

    @Test
    void beyondLoopbackWithKeyPassthroughAloneOnlyTheMessagesEndpointsOpen() {
        try (var exposed = ProxyHarness.start(Map.of("PROXY_HOST", "0.0.0.0", "NCP_KEY_PASSTHROUGH", "true"))) {
            assertEquals(401, HttpCalls.get(exposed.baseUrl(), "/health", Map.of()).statusCode());
            assertEquals(401, HttpCalls.get(exposed.baseUrl(), "/metrics",
                    Map.of("x-api-key", "nvapi-anyone-could-make-this-up-000")).statusCode());
            assertEquals(401, HttpCalls.postMessages(exposed.baseUrl(), HttpCalls.messagesBody(false, "hi"), Map.of())
                    .statusCode(), "no key, no upstream use");
            assertEquals(0, exposed.upstream().requests().size());
        }
    }
}
