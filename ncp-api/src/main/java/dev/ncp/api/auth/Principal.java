package dev.ncp.api.auth;

import java.util.Set;

/**
 * Who a request is.
 *
 * @param id                a stable name for logs, metrics and rate limits — never the key itself
 * @param requestsPerMinute this principal's own limit, or null for the global one only
 * @param allowedModels     model ids/aliases this principal may use; empty means all
 */
public record Principal(String id, Integer requestsPerMinute, Set<String> allowedModels) {

    public Principal {
        allowedModels = Set.copyOf(allowedModels == null ? Set.of() : allowedModels);
    }

    public static Principal named(String id) {
        return new Principal(id, null, Set.of());
    }

    public boolean mayUse(String model) {
        return allowedModels.isEmpty() || allowedModels.contains(model);
    }
}
