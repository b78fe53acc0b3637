package dev.ncp.host.usage;

import java.util.Objects;

/**
 * What one usage row is counted under: who asked, the model that answered, the upstream that served it and how the
 * request ended ({@code ok}, {@code error}, {@code client_gone}). Every part is a bounded set, so a bucket holds a
 * handful of rows however many requests it counts.
 */
public record UsageKey(String principal, String model, String upstream, String outcome) {

    public UsageKey {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(outcome, "outcome");
    }
}
