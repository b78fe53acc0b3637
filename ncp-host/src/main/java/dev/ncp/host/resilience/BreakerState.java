package dev.ncp.host.resilience;

/** A model's circuit breaker: calls flow (closed), are refused (open), or one trial call decides (half-open). */
public enum BreakerState {
    CLOSED, OPEN, HALF_OPEN;

    /** The name in {@code /health} and logs: {@code closed}, {@code open}, {@code half_open}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
