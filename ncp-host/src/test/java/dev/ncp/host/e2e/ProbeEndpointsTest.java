package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.testing.HttpCalls;
import dev.ncp.host.testing.ProxyHarness;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code GET /healthz} and {@code GET /readyz} as a supervisor meets them: no credential although PROXY_API_KEY is
 * set, liveness always 200 while the process serves, readiness 503 with the reason while the upstream refuses
 * connections and 200 again once it accepts them, and {@code /health} still behind the key.
 */
@Timeout(60)
class ProbeEndpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROXY_KEY = "sk-ncp-probes-0123456789abcdef";
    /** Readiness keeps a verdict for a couple of seconds; a change shows within this. */
    private static final Duration NOTICED_WITHIN = Duration.ofSeconds(15);

    @Test
    void readinessFollowsTheUpstreamWhileLivenessStaysUp() throws Exception {
        int port;
        try (var reserve = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = reserve.getLocalPort();
        }
        try (var h = ProxyHarness.start(Map.of("PROXY_API_KEY", PROXY_KEY,
                "NVIDIA_BASE_URL", "http://127.0.0.1:" + port + "/v1"))) {
            assertEquals(401, HttpCalls.get(h.baseUrl(), "/health", Map.of()).statusCode(), "/health keeps its key");
            assertLive(h);

            JsonNode down = awaitReadiness(h, 503);
            assertEquals("not_ready", down.path("status").asText(), down.toString());
            assertEquals("the upstream refuses connections", down.path("reason").asText());
            assertLive(h);

            try (var upstream = new ServerSocket()) {
                upstream.setReuseAddress(true);
                upstream.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
                JsonNode up = awaitReadiness(h, 200);
                assertEquals("ready", up.path("status").asText(), up.toString());
                assertTrue(up.path("reason").isMissingNode(), up.toString());
            }
            awaitReadiness(h, 503); // and down again when it goes away
        }
    }

    @Test
    void readinessIsServedWithTheHarnessUpstreamUp() throws Exception {
        try (var h = ProxyHarness.start(Map.of("PROXY_API_KEY", PROXY_KEY))) {
            awaitReadiness(h, 200);
            assertEquals(0, h.upstream().requests().size(), "the probe makes no HTTP request upstream");
        }
    }

    private static void assertLive(ProxyHarness h) throws Exception {
        HttpResponse<byte[]> live = HttpCalls.get(h.baseUrl(), "/healthz", Map.of());
        assertEquals(200, live.statusCode(), HttpCalls.text(live));
        assertEquals(JSON.readTree("{\"status\":\"ok\"}"), JSON.readTree(live.body()));
        assertTrue(live.headers().firstValue("request-id").isPresent());
    }

    private static JsonNode awaitReadiness(ProxyHarness h, int status) throws Exception {
        long deadline = System.nanoTime() + NOTICED_WITHIN.toNanos();
        HttpResponse<byte[]> last;
        do {
            last = HttpCalls.get(h.baseUrl(), "/readyz", Map.of());
            if (last.statusCode() == status) {
                return JSON.readTree(last.body());
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("/readyz stayed " + last.statusCode() + ": " + HttpCalls.text(last));
    }
}
