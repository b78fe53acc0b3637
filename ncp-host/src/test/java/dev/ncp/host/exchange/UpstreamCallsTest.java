package dev.ncp.host.exchange;

import static dev.ncp.host.testing.HttpCalls.header;
import static dev.ncp.host.testing.HttpCalls.messagesBody;
import static dev.ncp.host.testing.HttpCalls.postMessages;
import static dev.ncp.host.testing.HttpCalls.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.host.testing.HttpCalls;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * NCP_UPSTREAM_RPM counts upstream calls, not client requests: a retry (and a fallback, which takes the same path)
 * takes its own share, so the upstream never sees more than the limit.
 */
class UpstreamCallsTest {

    private static ProxyHarness proxy(int upstreamRpm, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(Map.of("NCP_UPSTREAM_RPM", Integer.toString(upstreamRpm),
                "NCP_UPSTREAM_MAX_WAIT_SECONDS", "0", "NCP_RETRY_BACKOFF_MS", "1"));
        env.putAll(more);
        return ProxyHarness.start(env);
    }

    @Test
    void aRetryTakesItsOwnShareSoTheNextRequestIsRefused() {
        try (var h = proxy(2, Map.of())) {
            h.upstream().enqueue(Script.error("gateway-502-html"));
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse")); // a third call would be over the limit
            HttpCalls.awaitRoomInCurrentMinute(Duration.ofSeconds(10));

            HttpResponse<byte[]> retried = postMessages(h.baseUrl(), messagesBody(false, "1"), Map.of());
            HttpResponse<byte[]> refused = postMessages(h.baseUrl(), messagesBody(false, "2"), Map.of());

            assertEquals(200, retried.statusCode(), text(retried));
            assertEquals(429, refused.statusCode(), text(refused));
            assertTrue(text(refused).contains("\"type\":\"rate_limit_error\""), text(refused));
            assertTrue(text(refused).contains("NCP_UPSTREAM_RPM"), text(refused));
            assertTrue(Integer.parseInt(header(refused, "retry-after")) > 0, header(refused, "retry-after"));
            assertTrue(header(refused, "request-id").startsWith("req_"), header(refused, "request-id"));
            assertEquals(2, h.upstream().requests().size(), "the first request's two calls used the minute up");
        }
    }

    @Test
    void aRetryBeyondTheLimitIsNotSentAndTheClientGetsA429() {
        try (var h = proxy(1, Map.of())) {
            h.upstream().enqueue(Script.error("gateway-502-html"));
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            HttpCalls.awaitRoomInCurrentMinute(Duration.ofSeconds(10));

            HttpResponse<byte[]> answer = postMessages(h.baseUrl(), messagesBody(false, "1"), Map.of());

            assertEquals(429, answer.statusCode(), text(answer));
            assertTrue(text(answer).contains("\"type\":\"rate_limit_error\""), text(answer));
            assertTrue(text(answer).contains("NCP_UPSTREAM_RPM"), text(answer));
            assertTrue(header(answer, "request-id").startsWith("req_"), header(answer, "request-id"));
            assertEquals(1, h.upstream().requests().size(), "the retry would have been the minute's second call");
        }
    }

    @Test
    void aFallbackModelCallTakesItsOwnShare() {
        try (var h = proxy(1, Map.of("NCP_FALLBACK_MODELS", "meta/llama-3.3-70b-instruct", "NCP_MAX_RETRIES", "0"))) {
            h.upstream().enqueue(Script.error("gateway-502-html"));
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            HttpCalls.awaitRoomInCurrentMinute(Duration.ofSeconds(10));

            HttpResponse<byte[]> answer = postMessages(h.baseUrl(), messagesBody(false, "1"), Map.of());

            assertEquals(429, answer.statusCode(), text(answer));
            assertTrue(text(answer).contains("NCP_UPSTREAM_RPM"), text(answer));
            assertEquals(1, h.upstream().requests().size(), "the fallback would have been the minute's second call");
        }
    }
}
