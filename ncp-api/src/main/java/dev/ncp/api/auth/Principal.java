package dev.ncp.api.auth;

import java.util.Set;

/**
 * Who a request is.
 *
 * @param id                a stable name for logs, metrics and rate limits — never the key itself
 * @param requestsPerMinute this principal's own limit, or null for the global one only
 * @param allowedModels     model ids/aliases this principal may use; empty means all
 * @param operator          whether this principal runs the proxy: sees every principal's traffic on the dashboard
 *                          and its websocket, {@code /metrics}, the bus counters and {@code /health}'s details.
 *                          Everyone else sees only their own requests and sessions.
 */
public record Principal(String id, Integer requestsPerMinute, Set<String> allowedModels, boolean operator) {

    public Principal {
        allowedModels = Set.copyOf(allowedModels == null ? Set.of() : allowedModels);
    }

    /** A principal that is not an operator (the shape plugins built before operators existed). */
    public Principal(String id, Integer requestsPerMinute, Set<String> allowedModels) {
        this(id, requestsPerMinute, allowedModels, false);
    }

    /** A principal with no limits of its own, not an operator. */
    public static Principal named(String id) {
        return new Principal(id, null, Set.of(), false);
    }

    /** An operator with no limits of its own. */
    public static Principal operatorNamed(String id) {
        return new Principal(id, null, Set.of(), true);
    }

    public boolean mayUse(String model) {
        return allowedModels.isEmpty() || allowedModels.contains(model);
    }
}
