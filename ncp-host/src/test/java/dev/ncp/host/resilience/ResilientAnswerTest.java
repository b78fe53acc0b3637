package dev.ncp.host.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ncp.api.error.ErrorType;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.openai.ChatRequest;
import dev.ncp.api.storage.StorageSettings;
import dev.ncp.host.config.BreakerSettings;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.plan.AttemptFactory;
import dev.ncp.host.pump.Attempt;
import dev.ncp.host.pump.ProcessorChain;
import dev.ncp.host.storage.MemoryStorageEngine;
import dev.ncp.host.upstream.Balancer;
import dev.ncp.host.upstream.Deployments;
import dev.ncp.host.upstream.Upstream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The decisions of one answer, one failure at a time, and what observers hear of them: the seam the observability
 * metrics hang on.
 */
class ResilientAnswerTest {

    private final List<String> heard = new ArrayList<>();
    private final ResilienceEvents events = new ResilienceEvents() {
        @Override
        public void retrying(String model, int retry, Duration wait, ApiError cause) {
            heard.add("retry " + model + " #" + retry + " after " + cause.status());
        }

        @Override
        public void maxTokensReduced(String model, int sent, int reduced) {
            heard.add("max_tokens " + model + " " + sent + "->" + reduced);
        }

        @Override
        public void fellBack(String from, String to, ApiError cause) {
            heard.add("fallback " + from + "->" + to + " after " + cause.status());
        }

        @Override
        public void answered(String requested, String model, int attempts) {
            heard.add("answered " + requested + " by " + model + " in " + attempts);
        }

        @Override
        public void exhausted(String requested, List<String> tried, ApiError error) {
            heard.add("exhausted " + tried + ": " + error.type().wireName());
        }
    };
    private final List<String> sent = new ArrayList<>();

    private static ApiError status(int status) {
        return new ApiError(status == 429 ? ErrorType.RATE_LIMIT : status == 404 ? ErrorType.NOT_FOUND
                : ErrorType.API, status, "HTTP " + status, Map.of());
    }

    private Sending answer(int maxRetries, String... fallbacks) {
        var policy = new RetryPolicy(maxRetries, Duration.ofMillis(1), Duration.ofSeconds(1), () -> 0,
                Clock.systemUTC());
        return answer(policy, breakers(5), fallbacks);
    }

    /** Breakers that open after {@code inARow} failures in a row, on an in-process ledger. */
    private DeploymentBreakers breakers(int inARow) {
        var settings = new BreakerSettings(inARow, 50, 20, Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(300), 0);
        return new DeploymentBreakers(settings, new MemoryStorageEngine().open(new StorageSettings(Path.of("."),
                Map.of())), System::currentTimeMillis, events);
    }

    private Sending answer(RetryPolicy policy, DeploymentBreakers breakers, String... fallbacks) {
        List<ModelInfo> chain = java.util.Arrays.stream(fallbacks).map(ModelInfo::unknown).toList();
        var attempts = new AttemptFactory() {
            @Override
            public String requestedModel() {
                return "claude-x";
            }

            @Override
            public ModelInfo primaryModel() {
                return ModelInfo.unknown("a/primary");
            }

            @Override
            public Attempt first() {
                return planned("a/primary");
            }

            @Override
            public Attempt forFallback(ModelInfo model) {
                return planned(model.id());
            }
        };
        var upstream = new Upstream(Upstream.DEFAULT_NAME, URI.create("http://127.0.0.1:9/v1"), false, 1, 0, 0, null,
                System::nanoTime);
        return new Sending(new ResilientAnswer(attempts, chain, policy, breakers, Deployments.only(upstream),
                new Balancer(), events));
    }

    private Attempt planned(String model) {
        ChatRequest chat = new ChatRequest(model, List.of(), null, null, null, 4096, null, null, null, null, null,
                true, null, null, null, null);
        return new Attempt("msg_1", "claude-x", () -> 1, new ShapingContext(ModelInfo.unknown(model), "claude-x",
                null, Map.of(), List.of()), null, new ProcessorChain(List.of()), chat, (c, where) -> {
                    sent.add(c.model() + "/" + c.maxTokens());
                    return null; // what it answers is the pump's business, not this test's
                });
    }

    /** The answer's decisions, each attempt it hands out sent at once, as the pump sends it. */
    private record Sending(ResilientAnswer answer) {
        Attempt first() {
            return send(answer.first());
        }

        Attempt next(Attempt failed, ApiError error) {
            return send(answer.next(failed, error));
        }

        void ended(Attempt last, boolean delivered, ApiError error) {
            answer.ended(last, delivered, error);
        }

        String model() {
            return answer.model();
        }

        private static Attempt send(Attempt attempt) {
            attempt.open();
            return attempt;
        }
    }

    @Test
    void retriesThenFallsBackThenReportsTheModelThatAnswered() {
        var answer = answer(1, "b/second");
        Attempt first = answer.first();
        Attempt retry = answer.next(first, status(503));
        Attempt fallback = answer.next(retry, status(502));
        answer.ended(fallback, true, null);

        assertEquals(List.of("a/primary/4096", "a/primary/4096", "b/second/4096"), sent);
        assertEquals("b/second", answer.model());
        assertEquals(List.of("retry a/primary #1 after 503", "fallback a/primary->b/second after 502",
                "answered claude-x by b/second in 3"), heard);
    }

    @Test
    void aMissingModelFallsBackWithoutRetrying() {
        var answer = answer(2, "b/second");
        answer.next(answer.first(), status(404));
        assertEquals(List.of("a/primary/4096", "b/second/4096"), sent);
    }

    @Test
    void aClientErrorIsAnsweredAsItIs() {
        var answer = answer(2, "b/second");
        ApiError refused = new ApiError(ErrorType.AUTHENTICATION, 401, "bad key", Map.of());
        assertSame(refused, assertThrows(ApiError.class, () -> answer.next(answer.first(), refused)));
        assertEquals(1, sent.size());
    }

    @Test
    void aContextLengthRefusalIsRetriedOnceWithTheRoomLeft() {
        var answer = answer(2);
        var overflow = new ApiError(ErrorType.INVALID_REQUEST, 400, "prompt is too long: 131000 tokens > 131072 "
                + "maximum (upstream: This model's maximum context length is 131072 tokens. However, you requested "
                + "131000 tokens (127000 in the messages, 4000 in the completion).)", Map.of());
        Attempt reduced = answer.next(answer.first(), overflow);
        assertEquals(List.of("a/primary/4096", "a/primary/4008"), sent); // 131072 - 127000 - 64
        assertSame(overflow, assertThrows(ApiError.class, () -> answer.next(reduced, overflow)));
        assertEquals(List.of("max_tokens a/primary 4096->4008"), heard);
    }

    @Test
    void whenAllFailTheShortestRetryAfterWinsOverTheLastError() {
        var answer = answer(0, "b/second", "c/third");
        Attempt s = answer.first();
        s = answer.next(s, new ApiError(ErrorType.RATE_LIMIT, 429, "slow", Map.of("retry-after", "40")));
        s = answer.next(s, new ApiError(ErrorType.RATE_LIMIT, 429, "slower", Map.of("retry-after", "20")));
        Attempt last = s;
        ApiError best = assertThrows(ApiError.class, () -> answer.next(last, status(500)));
        assertEquals(429, best.status());
        assertEquals("20", best.headers().get("retry-after"));
        answer.ended(last, false, best);
        assertEquals("exhausted [a/primary, b/second, c/third]: rate_limit_error", heard.get(heard.size() - 1));
    }

    @Test
    void anOpenBreakerSkipsTheModelWithoutCallingIt() {
        var policy = new RetryPolicy(0, Duration.ofMillis(1), Duration.ofSeconds(1), () -> 0, Clock.systemUTC());
        var breakers = breakers(1);
        breakers.tryAcquire(Upstream.DEFAULT_NAME, "a/primary").orElseThrow().failure();
        answer(policy, breakers, "b/second").first();
        assertEquals(List.of("b/second/4096"), sent);
        assertEquals(List.of("fallback a/primary->b/second after 529"), heard);
    }
}
