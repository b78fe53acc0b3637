package dev.ncp.host.resilience;

import dev.ncp.host.error.ApiError;
import java.time.Duration;
import java.util.List;

/**
 * What the resilience layer does, for observers (metrics, dashboards, logs). Every method has a no-op default, so
 * an observer implements only what it counts. Called on request threads (breaker transitions: on the thread whose
 * call caused them); implementations must be quick and must not throw.
 */
public interface ResilienceEvents {

    /** Observes nothing. */
    ResilienceEvents NONE = new ResilienceEvents() {
    };

    /**
     * {@code model} failed with {@code cause} before any content reached the client; the same model is tried again
     * after {@code wait} ({@code retry} counts from 1).
     */
    default void retrying(String model, int retry, Duration wait, ApiError cause) {
    }

    /** The upstream refused the context length; the same model is tried once more with a smaller max_tokens. */
    default void maxTokensReduced(String model, int sentMaxTokens, int reducedMaxTokens) {
    }

    /** {@code from} could not answer ({@code cause}); {@code to}, the next model of the fallback chain, is tried. */
    default void fellBack(String from, String to, ApiError cause) {
    }

    /**
     * The answer's content came from {@code upstreamModel} after {@code attempts} upstream calls in all. For streams
     * this is the only place the model actually used is known: {@code x-ncp-model} went out with message_start.
     */
    default void answered(String requestedModel, String upstreamModel, int attempts) {
    }

    /** Every candidate failed; the client got {@code error}, the most useful of them. */
    default void exhausted(String requestedModel, List<String> triedModels, ApiError error) {
    }

    /** A model's circuit breaker changed state. */
    default void breakerTransition(String model, BreakerState from, BreakerState to) {
    }

    /**
     * The breaker of {@code model} on {@code upstream} (one deployment) changed state, as this instance sees it
     * (its own calls changed it, or another instance's did, through shared storage). By default reported as the
     * model's breaker when the upstream is the default one, else as {@code upstream|model}.
     */
    default void upstreamBreakerTransition(String upstream, String model, BreakerState from, BreakerState to) {
        breakerTransition("default".equals(upstream) ? model : upstream + "|" + model, from, to);
    }

    /**
     * Every candidate of a request to {@code model} had an open breaker, and this request is one of the bounded share
     * let through anyway (to {@code upstream}) rather than refused.
     */
    default void panicked(String model, String upstream) {
    }
}
