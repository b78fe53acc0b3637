package dev.ncp.host.observe;

import java.time.Duration;

/**
 * What the resilience layer (retries, fallback, circuit breakers around the upstream call) tells observability
 * about one request. Each call becomes a bus event, a metric and part of the access log. Nothing calls these yet:
 * the request path gets retries and fallback with the resilience work, which is handed the request's
 * {@link RequestTrace} (or {@link #NONE} where nobody observes).
 */
public interface RequestEvents {

    /** Ignores everything. */
    RequestEvents NONE = new RequestEvents() {
    };

    /**
     * The upstream call is about to be tried again.
     *
     * @param attempt the attempt about to start (2 for the first retry)
     * @param reason  why, e.g. the error type ({@code overloaded_error}) or {@code connect_timeout}
     * @param delay   the back-off before it
     */
    default void retrying(int attempt, String reason, Duration delay) {
    }

    /** Model {@code from} failed ({@code reason}); {@code to} answers instead. */
    default void fellBack(String from, String to, String reason) {
    }

    /**
     * Circuit breaker {@code breaker} (e.g. an upstream model) went from state {@code from} to {@code to}
     * ({@code closed}, {@code open}, {@code half_open}) while this request was using it.
     */
    default void breakerChanged(String breaker, String from, String to) {
    }
}
