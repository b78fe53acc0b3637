package dev.ncp.host.config;

import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the storage-backed features: idempotency, the upstream limits, and what to do when storage cannot
 * open. ({@code RATE_LIMIT_RPM} is {@link Config#rateLimitRpm()}, the original's name and place.)
 *
 * @param idempotencyTtl       how long an answer stays replayable ({@code NCP_IDEMPOTENCY_TTL_HOURS})
 * @param upstreamRpm          upstream requests per minute across instances; 0 = no limit ({@code NCP_UPSTREAM_RPM})
 * @param upstreamMaxWait      longest a request waits for an upstream limit before a 429
 * @param maxConcurrentStreams most upstream answers in flight at once across instances; 0 = no cap
 * @param storageFallback      the engine to use when the configured one cannot open (only {@code memory}), if any
 * @param idempotencyMaxWait   longest a duplicate waits for the first request with its key; empty = long enough
 *                             for the first to finish ({@code NCP_IDEMPOTENCY_MAX_WAIT_MS})
 */
public record FeatureSettings(Duration idempotencyTtl, int upstreamRpm, Duration upstreamMaxWait,
                              int maxConcurrentStreams, Optional<String> storageFallback,
                              Optional<Duration> idempotencyMaxWait) {

    /** NVIDIA's hosted catalog allows about 40 requests a minute per key; ncp stays under that unless told. */
    public static final int HOSTED_CATALOG_RPM = 40;
    public static final String HOSTED_CATALOG_HOST = "integrate.api.nvidia.com";

    /** Everything off except a 24 h idempotency TTL: what tests and embedders get unless they configure more. */
    public static FeatureSettings defaults() {
        return new FeatureSettings(Duration.ofHours(24), 0, Duration.ofSeconds(30), 0, Optional.empty(),
                Optional.empty());
    }
}
