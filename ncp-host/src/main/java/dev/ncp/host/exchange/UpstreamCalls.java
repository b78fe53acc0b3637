package dev.ncp.host.exchange;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The upstream budget of one admitted request: the upstream gate ({@code limits.UpstreamGate}) takes the first
 * call's share of {@code NCP_UPSTREAM_RPM} before the request runs; every further upstream call the request makes — a retry, the
 * retry with a reduced {@code max_tokens}, a fallback model — takes its own share through {@link #another()}, so
 * the upstream sees at most the configured rate, not that rate times the attempts per request.
 */
@FunctionalInterface
public interface UpstreamCalls {

    /** Nothing to count: no upstream limit, or a request that did not pass the gate (tests, embedders). */
    UpstreamCalls NONE = () -> {
    };

    /**
     * Takes one more upstream call's share, waiting for it within {@code NCP_UPSTREAM_MAX_WAIT_SECONDS}; throws a
     * 429 {@code rate_limit_error} when it cannot have one in time.
     */
    void another();

    /** Counts each call made through it, the first excepted (the gate took that one before the request ran). */
    static UpstreamCalls afterTheFirst(UpstreamCalls budget) {
        var made = new AtomicInteger();
        return () -> {
            if (made.getAndIncrement() > 0) {
                budget.another();
            }
        };
    }
}
