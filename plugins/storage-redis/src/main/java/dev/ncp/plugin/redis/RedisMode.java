package dev.ncp.plugin.redis;

import dev.ncp.api.storage.StorageException;
import java.util.Locale;
import java.util.Optional;

/** How ncp finds its Redis ({@code REDIS_MODE}): one server, a primary named by Sentinels, or a Redis Cluster. */
enum RedisMode {
    /** {@code REDIS_URL} names the server (or a stable address in front of a primary). */
    STANDALONE,
    /** {@code REDIS_URL} lists Sentinels; they name the current primary of {@code REDIS_SENTINEL_MASTER}. */
    SENTINEL,
    /** {@code REDIS_URL} lists some cluster nodes; the client discovers the rest and routes each key by its slot. */
    CLUSTER;

    static final String SETTING = "REDIS_MODE";

    static RedisMode parse(Optional<String> value) {
        String text = value.orElse("standalone").trim().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "standalone" -> STANDALONE;
            case "sentinel" -> SENTINEL;
            case "cluster" -> CLUSTER;
            default -> throw new StorageException(SETTING + " must be standalone, sentinel or cluster; got '"
                    + value.orElse("") + "'.");
        };
    }

    /** Fails unless {@code endpoint} makes sense in this mode, before any connection is tried. */
    void check(RedisEndpoint endpoint) {
        if (this == STANDALONE && endpoint.nodes().size() > 1) {
            throw RedisEndpoint.invalid("it lists " + endpoint.nodes().size() + " servers; list several only with"
                    + " REDIS_MODE=sentinel (the Sentinels) or REDIS_MODE=cluster (some cluster nodes)");
        }
        if (this == CLUSTER && endpoint.database() != 0) {
            throw RedisEndpoint.invalid("a Redis Cluster has only database 0, so drop the /"
                    + endpoint.database() + " after the nodes");
        }
    }
}
