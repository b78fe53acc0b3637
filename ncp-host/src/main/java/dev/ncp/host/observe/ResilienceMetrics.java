package dev.ncp.host.observe;

import dev.ncp.host.http.ApiError;
import dev.ncp.host.resilience.BreakerState;
import dev.ncp.host.resilience.ResilienceEvents;
import java.time.Duration;

/**
 * Feeds what the resilience layer does into metrics and the visualization bus: retries and fallbacks become
 * counters, breaker transitions a gauge, a counter and a bus event.
 */
public final class ResilienceMetrics implements ResilienceEvents {

    private final Observability observability;

    public ResilienceMetrics(Observability observability) {
        this.observability = observability;
    }

    @Override
    public void retrying(String model, int retry, Duration wait, ApiError cause) {
        observability.metrics().retried(model, cause.type().wireName());
    }

    @Override
    public void fellBack(String from, String to, ApiError cause) {
        observability.metrics().fellBack(from, to);
    }

    @Override
    public void breakerTransition(String model, BreakerState from, BreakerState to) {
        observability.breakerChanged(model, from.wireName(), to.wireName());
    }
}
