package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.errors.InternalServerException;
import com.anthropic.errors.RateLimitException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A model's circuit breaker, seen from outside: it opens after the configured consecutive failures (then ncp answers
 * without calling the model, or falls back), shows its state in {@code /health}, lets one trial call through after
 * the open time (half-open), and closes when that call succeeds.
 */
@Timeout(60)
class CircuitBreakerTest {

    private static final String PRIMARY = ResilienceTest.PRIMARY;

    @Test
    void theBreakerOpensAfterTheConfiguredFailuresHalfOpensAfterTheWaitAndClosesOnSuccess() throws Exception {
        try (var h = ResilienceTest.proxy("NCP_BREAKER_FAILURES", "2", "NCP_BREAKER_OPEN_SECONDS", "1",
                "NCP_MAX_RETRIES", "0")) {
            assertEquals(Map.of(), breakers(h), "no model called yet");
            h.upstream().enqueue(Script.error("gateway-502-html")).enqueue(Script.error("gateway-502-html"));
            assertThrows(InternalServerException.class, () -> ResilienceTest.ask(h));
            assertEquals("closed", state(h));
            assertThrows(InternalServerException.class, () -> ResilienceTest.ask(h));
            assertEquals("open", state(h));

            // Open: answered at once, without calling the upstream.
            var refused = assertThrows(com.anthropic.errors.OverloadedException.class, () -> ResilienceTest.ask(h));
            assertEquals(529, refused.statusCode());
            assertTrue(SdkAnswer.inputOf(refused.body()).path("error").path("message").asText()
                    .contains("circuit breaker open"));
            assertEquals(List.of("1"), refused.headers().values("retry-after"));
            // A stream is refused before message_start: a plain 529, as nothing was written yet.
            Wire.assertAnthropicError(Wire.post(h, "/v1/messages", SseWireTest.STREAMED_HI), 529,
                    "overloaded_error");
            assertEquals(2, h.upstream().requests().size());

            // After the open time one trial call goes through; while it runs the breaker is half-open.
            Thread.sleep(1200);
            h.upstream().enqueue(ResilienceTest.OK.delayHeaders(Duration.ofMillis(1500)));
            // Its own thread, not the common pool: the JDK HTTP client inside ncp completes exchanges there too.
            var trial = new FutureTask<>(() -> ResilienceTest.ask(h));
            Thread.ofVirtual().start(trial);
            awaitState(h, "half_open");
            assertEquals(ResilienceTest.ANSWER, ResilienceTest.text(trial.get()));
            assertEquals("closed", state(h));
            assertEquals(3, h.upstream().requests().size());
        }
    }

    @Test
    void aFailedTrialCallOpensTheBreakerAgain() throws Exception {
        try (var h = ResilienceTest.proxy("NCP_BREAKER_FAILURES", "1", "NCP_BREAKER_OPEN_SECONDS", "1",
                "NCP_MAX_RETRIES", "0")) {
            h.upstream().enqueue(Script.error("nim-503-overloaded")).enqueue(Script.error("nim-503-overloaded"));
            assertThrows(com.anthropic.errors.OverloadedException.class, () -> ResilienceTest.ask(h));
            assertEquals("open", state(h));
            Thread.sleep(1200);
            assertThrows(com.anthropic.errors.OverloadedException.class, () -> ResilienceTest.ask(h));
            assertEquals("open", state(h));
            assertEquals(2, h.upstream().requests().size());
        }
    }

    @Test
    void rateLimitsAndClientErrorsDoNotCountAsFailures() {
        try (var h = ResilienceTest.proxy("NCP_BREAKER_FAILURES", "2", "NCP_MAX_RETRIES", "0")) {
            h.upstream().enqueue(Script.error("nim-429-problem-details")).enqueue(Script.error("nim-429-problem-details"))
                    .enqueue(Script.error("vllm-400-input-too-long")).enqueue(Script.error("nim-429-problem-details"));
            assertThrows(RateLimitException.class, () -> ResilienceTest.ask(h));
            assertThrows(RateLimitException.class, () -> ResilienceTest.ask(h));
            assertThrows(com.anthropic.errors.BadRequestException.class, () -> ResilienceTest.ask(h));
            assertThrows(RateLimitException.class, () -> ResilienceTest.ask(h));
            assertEquals("closed", state(h));
            assertEquals(4, h.upstream().requests().size());
        }
    }

    @Test
    void anOpenBreakerSendsTheRequestToTheFallbackModel() {
        try (var h = ResilienceTest.proxy("NCP_BREAKER_FAILURES", "1", "NCP_MAX_RETRIES", "0",
                "NCP_FALLBACK_MODELS", ResilienceTest.FALLBACK)) {
            h.upstream().enqueue(Script.error("nim-503-overloaded")).enqueue(ResilienceTest.OK)
                    .enqueue(ResilienceTest.OK);
            assertEquals(ResilienceTest.ANSWER, ResilienceTest.text(ResilienceTest.ask(h))); // fell back on the 503
            assertEquals(ResilienceTest.ANSWER, ResilienceTest.text(ResilienceTest.ask(h))); // breaker open: straight there
            assertEquals(List.of(PRIMARY, ResilienceTest.FALLBACK, ResilienceTest.FALLBACK),
                    ResilienceTest.upstreamModels(h));
        }
    }

    private static String state(ProxyHarness h) {
        return breakers(h).get(PRIMARY);
    }

    private static Map<String, String> breakers(ProxyHarness h) {
        Wire.Reply reply = Wire.send(h, "GET", "/health", Map.of(), null);
        JsonNode breakers = reply.json().path("breakers");
        var states = new java.util.TreeMap<String, String>();
        breakers.fields().forEachRemaining(f -> states.put(f.getKey(), f.getValue().path("state").asText()));
        return states;
    }

    private static void awaitState(ProxyHarness h, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!expected.equals(state(h))) {
            assertTrue(System.nanoTime() < deadline, "breaker never became " + expected + ": " + breakers(h));
            Thread.sleep(20);
        }
    }
}
