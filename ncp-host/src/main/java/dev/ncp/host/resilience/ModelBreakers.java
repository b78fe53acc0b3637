package dev.ncp.host.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One circuit breaker per upstream model (Resilience4j). A breaker opens after {@code failures} consecutive failures
 * of its model (5xx, 529, timeouts, connection errors — not 4xx, not 429), refuses calls for {@code openFor}, then
 * lets one trial call through (half-open): its success closes the breaker, its failure opens it again.
 *
 * <p>"Consecutive" is a count-based window of {@code failures} calls that must all have failed (a failure rate
 * threshold of 100 %); calls whose outcome says nothing about the model's health are released, not counted.
 * Slow calls are not failures: a long answer is normal here.
 */
public final class ModelBreakers {

    /** A permission to call a model; settle it exactly once (later calls are ignored). */
    public interface Permit {
        void success();

        void failure(Throwable cause);

        /** The call's outcome says nothing about the model's health (4xx, 429, client gone). */
        void release();
    }

    private static final Permit FREE = new Permit() {
        @Override
        public void success() {
        }

        @Override
        public void failure(Throwable cause) {
        }

        @Override
        public void release() {
        }
    };

    private final CircuitBreakerRegistry registry;
    private final boolean enabled;
    private final Duration openFor;

    /**
     * @param failures consecutive failures that open a model's breaker ({@code NCP_BREAKER_FAILURES}); 0 disables
     * @param openFor  how long an open breaker refuses calls ({@code NCP_BREAKER_OPEN_SECONDS})
     */
    public ModelBreakers(int failures, Duration openFor, ResilienceEvents events) {
        this.enabled = failures > 0;
        this.openFor = openFor;
        var config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(Math.max(1, failures))
                .minimumNumberOfCalls(Math.max(1, failures))
                .failureRateThreshold(100)
                .slowCallRateThreshold(100)
                .slowCallDurationThreshold(Duration.ofDays(365))
                .waitDurationInOpenState(openFor)
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build();
        this.registry = CircuitBreakerRegistry.of(config);
        registry.getEventPublisher().onEntryAdded(added -> added.getAddedEntry().getEventPublisher()
                .onStateTransition(e -> events.breakerTransition(e.getCircuitBreakerName(),
                        state(e.getStateTransition().getFromState()), state(e.getStateTransition().getToState()))));
    }

    /** A permission to call {@code model}, or empty while its breaker is open (or half-open with its trial out). */
    public Optional<Permit> tryAcquire(String model) {
        if (!enabled) {
            return Optional.of(FREE);
        }
        CircuitBreaker breaker = registry.circuitBreaker(model);
        if (!breaker.tryAcquirePermission()) {
            return Optional.empty();
        }
        long startNanos = System.nanoTime();
        var settled = new AtomicBoolean();
        return Optional.of(new Permit() {
            @Override
            public void success() {
                if (settled.compareAndSet(false, true)) {
                    breaker.onSuccess(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
                }
            }

            @Override
            public void failure(Throwable cause) {
                if (settled.compareAndSet(false, true)) {
                    breaker.onError(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS, cause);
                }
            }

            @Override
            public void release() {
                if (settled.compareAndSet(false, true)) {
                    breaker.releasePermission();
                }
            }
        });
    }

    /** The state of {@code model}'s breaker (closed for a model never called). */
    public BreakerState state(String model) {
        return registry.find(model).map(b -> state(b.getState())).orElse(BreakerState.CLOSED);
    }

    /** How long an open breaker refuses calls. */
    public Duration openFor() {
        return openFor;
    }

    /** Every model called so far, by id: its breaker's state and counts, for {@code /health} and metrics. */
    public Map<String, Map<String, Object>> snapshot() {
        var all = new TreeMap<String, Map<String, Object>>();
        registry.getAllCircuitBreakers().forEach(b -> {
            var m = b.getMetrics();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("state", state(b.getState()).wireName());
            entry.put("buffered_calls", m.getNumberOfBufferedCalls());
            entry.put("failed_calls", m.getNumberOfFailedCalls());
            entry.put("not_permitted_calls", m.getNumberOfNotPermittedCalls());
            all.put(b.getName(), entry);
        });
        return all;
    }

    private static BreakerState state(CircuitBreaker.State s) {
        return switch (s) {
            case OPEN, FORCED_OPEN -> BreakerState.OPEN;
            case HALF_OPEN -> BreakerState.HALF_OPEN;
            default -> BreakerState.CLOSED;
        };
    }
}
