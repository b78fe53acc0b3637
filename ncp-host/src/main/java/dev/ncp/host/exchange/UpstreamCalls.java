package dev.ncp.host.exchange;

/**
 * The default upstream's budget of one admitted request: the upstream gate ({@code limits.UpstreamGate}) takes the
 * first call's share of {@code NCP_UPSTREAM_RPM} (and its stream slot) before a request for the default upstream
 * runs; the request calls {@link #another()} before each call it makes to the default upstream — the first of them
 * is the one already taken; a retry, the retry with a reduced {@code max_tokens}, a fallback model each take their
 * own share — so the upstream sees at most the configured rate, not that rate times the attempts per request.
 */
@FunctionalInterface
public interface UpstreamCalls {

    /** Nothing to count: no upstream limit, or a request that did not pass the gate (tests, embedders). */
    UpstreamCalls NONE = () -> {
    };

    /**
     * Takes the share of the next call to the default upstream (nothing for the one the gate admitted the request
     * with), waiting for it within {@code NCP_UPSTREAM_MAX_WAIT_SECONDS}; throws a 429 {@code rate_limit_error} when
     * it cannot have one in time.
     */
    void another();
}
