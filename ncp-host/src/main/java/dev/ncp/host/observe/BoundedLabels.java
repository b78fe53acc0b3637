package dev.ncp.host.observe;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a metric label's values few: clients choose model names (any {@code org/model} id routes directly), and
 * every distinct value is a new time series in Prometheus. The first {@code max} values are kept; later ones
 * become {@code other}.
 */
final class BoundedLabels {

    static final String OTHER = "other";

    private final int max;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    BoundedLabels(int max) {
        this.max = max;
    }

    String of(String value) {
        String v = value == null || value.isBlank() || value.equals("-") ? "none" : value;
        if (seen.contains(v)) {
            return v;
        }
        if (seen.size() >= max) {
            return OTHER;
        }
        seen.add(v);
        return v;
    }
}
