package dev.ncp.host.limits;

import static dev.ncp.host.testing.HttpCalls.header;
import static dev.ncp.host.testing.HttpCalls.messagesBody;
import static dev.ncp.host.testing.HttpCalls.postMessages;
import static dev.ncp.host.testing.HttpCalls.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.testing.HttpCalls;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code RATE_LIMIT_RPM} through a real ncp, for any storage engine. */
public abstract class RateLimitScenarios {

    private static final ObjectMapper JSON = new ObjectMapper();

    protected abstract ProxyHarness startProxy(Map<String, String> env);

    @Test
    public void theRequestOverTheGlobalLimitGets429WithRetryAfterAndRateLimitHeaders() throws Exception {
        try (var h = startProxy(Map.of("RATE_LIMIT_RPM", "2"))) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            HttpCalls.awaitRoomInCurrentMinute(Duration.ofSeconds(10));
            HttpResponse<byte[]> first = postMessages(h.baseUrl(), messagesBody(false, "Hi"), Map.of());
            HttpResponse<byte[]> second = postMessages(h.baseUrl(), messagesBody(true, "Hi"), Map.of());
            HttpResponse<byte[]> refused = postMessages(h.baseUrl(), messagesBody(false, "Hi"), Map.of());

            assertEquals(200, first.statusCode(), text(first));
            assertEquals("2", header(first, "anthropic-ratelimit-requests-limit"));
            assertEquals("1", header(first, "anthropic-ratelimit-requests-remaining"));
            assertEquals(200, second.statusCode(), text(second));
            assertEquals("0", header(second, "anthropic-ratelimit-requests-remaining"), "stream answers carry it too");

            assertEquals(429, refused.statusCode(), text(refused));
            JsonNode error = JSON.readTree(refused.body());
            assertEquals("rate_limit_error", error.path("error").path("type").asText());
            assertTrue(error.path("error").path("message").asText().contains("RATE_LIMIT_RPM=2"), text(refused));
            assertEquals("2", header(refused, "anthropic-ratelimit-requests-limit"));
            assertEquals("0", header(refused, "anthropic-ratelimit-requests-remaining"));
            Instant reset = Instant.parse(header(refused, "anthropic-ratelimit-requests-reset"));
            assertEquals(0, reset.getEpochSecond() % 60, "windows end on the minute: " + reset);
            long retryAfter = Long.parseLong(header(refused, "retry-after"));
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "retry-after " + retryAfter);
            long toReset = Duration.between(Instant.now(), reset).toSeconds();
            assertTrue(Math.abs(retryAfter - toReset) <= 2, "retry-after " + retryAfter + " vs reset in " + toReset);
            assertEquals(2, h.upstream().requests().size(), "the refused request never reached the upstream");
        }
    }

    @Test
    public void withoutALimitNoRateLimitHeadersAreSent() {
        try (var h = startProxy(Map.of())) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            HttpResponse<byte[]> r = postMessages(h.baseUrl(), messagesBody(false, "Hi"), Map.of());
            assertEquals(200, r.statusCode(), text(r));
            assertEquals(null, header(r, "anthropic-ratelimit-requests-limit"));
        }
    }
}
