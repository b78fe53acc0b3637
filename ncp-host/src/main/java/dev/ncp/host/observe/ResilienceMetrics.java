package dev.ncp.host.observe;

import dev.ncp.host.resilience.BreakerState;
import dev.ncp.host.resilience.ResilienceEvents;

/**
 * The process-wide observer of the resilience layer: a breaker transition becomes a gauge, a counter and a bus
 * event. What happens within one request (retries, fallbacks, the model that answered) is reported to that
 * request's {@link RequestTrace} instead.
 */
public final class ResilienceMetrics implements ResilienceEvents {

    private final Observability observability;

    public ResilienceMetrics(Observability observability) {
        this.observability = observability;
    }

    @Override
    public void breakerTransition(String model, BreakerState from, BreakerState to) {
        observability.breakerChanged(model, from.wireName(), to.wireName());
    }

    @Override
    public void upstreamBreakerTransition(String upstream, String model, BreakerState from, BreakerState to) {
        observability.upstreamBreakerChanged(upstream, model, from.wireName(), to.wireName());
    }

    @Override
    public void panicked(String model, String upstream) {
        observability.panicked(model, upstream);
    }
}
