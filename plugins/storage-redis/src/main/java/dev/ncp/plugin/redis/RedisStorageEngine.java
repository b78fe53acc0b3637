package dev.ncp.plugin.redis;

import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageEngine;
import dev.ncp.api.storage.StorageException;
import dev.ncp.api.storage.StorageSettings;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The {@code redis} engine: state shared by every ncp instance that points at the same Redis, so idempotency and
 * rate limits hold across a fleet behind a load balancer. Settings: {@code REDIS_URL} (required),
 * {@code REDIS_PASSWORD}, {@code REDIS_MODE} (standalone, sentinel or cluster), {@code REDIS_SENTINEL_MASTER},
 * {@code REDIS_TLS_CA_FILE}, {@code REDIS_PREFIX} (default {@code ncp:}), {@code REDIS_TIMEOUT_MS} (connect and
 * per-command timeout, default 2000).
 */
@Extension
public final class RedisStorageEngine implements StorageEngine {

    public static final String NAME = "redis";
    public static final String URL_SETTING = "REDIS_URL";
    public static final String PASSWORD_SETTING = "REDIS_PASSWORD";
    public static final String PREFIX_SETTING = "REDIS_PREFIX";
    public static final String TIMEOUT_SETTING = "REDIS_TIMEOUT_MS";
    public static final String DEFAULT_PREFIX = "ncp:";
    public static final String SENTINEL_MASTER_SETTING = "REDIS_SENTINEL_MASTER";
    /** The name Redis's own sentinel.conf uses in its examples. */
    public static final String DEFAULT_SENTINEL_MASTER = "mymaster";
    static final int DEFAULT_TIMEOUT_MILLIS = 2_000;

    /**
     * Connections, not threads: each request's virtual thread borrows one for a single command, so a few dozen
     * serve thousands of requests. The pool wait is bounded like every other Redis call.
     */
    private static final int POOL_SIZE = 32;

    private static final Logger log = LoggerFactory.getLogger(RedisStorageEngine.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Storage open(StorageSettings settings) {
        String url = settings.value(URL_SETTING).orElseThrow(() -> new StorageException(
                "STORAGE_ENGINE=redis needs " + URL_SETTING + ", the address of the Redis server, e.g. "
                        + URL_SETTING + "=redis://localhost:6379/0 (rediss:// for TLS; give a password as"
                        + " redis://:PASSWORD@host:6379 or in " + PASSWORD_SETTING + ")."));
        RedisEndpoint endpoint = RedisEndpoint.parse(url, settings.value(PASSWORD_SETTING));
        RedisMode mode = RedisMode.parse(settings.value(RedisMode.SETTING));
        mode.check(endpoint);
        String prefix = settings.value(PREFIX_SETTING).orElse(DEFAULT_PREFIX);
        int timeoutMillis = timeoutMillis(settings);
        UnifiedJedis client;
        try {
            // Sentinel and Cluster clients talk to the servers while being built (the primary's address, the slots).
            client = connect(mode, endpoint, settings, timeoutMillis);
        } catch (JedisException e) {
            throw RedisFailures.atOpen(endpoint, e);
        }
        try {
            client.ping(); // fail at startup, with a clear message, rather than on the first request
        } catch (JedisException e) {
            client.close();
            throw RedisFailures.atOpen(endpoint, e);
        }
        log.info("Redis storage ({}) at {} with key prefix '{}'", mode.name().toLowerCase(Locale.ROOT), endpoint,
                prefix);
        return new RedisStorage(client, endpoint, prefix);
    }

    private static UnifiedJedis connect(RedisMode mode, RedisEndpoint endpoint, StorageSettings settings,
            int timeoutMillis) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .user(endpoint.user())
                .password(endpoint.password())
                .database(endpoint.database())
                .connectionTimeoutMillis(timeoutMillis)
                .socketTimeoutMillis(timeoutMillis)
                .clientName("ncp");
        RedisTls.apply(config, endpoint.tls(), settings.value(RedisTls.CA_FILE_SETTING));
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(POOL_SIZE);
        pool.setMaxIdle(POOL_SIZE);
        pool.setMaxWait(Duration.ofMillis(timeoutMillis));
        Set<HostAndPort> nodes = endpoint.nodes().stream()
                .map(node -> new HostAndPort(node.host(), node.port()))
                .collect(Collectors.toCollection(LinkedHashSet::new));
        return switch (mode) {
            case STANDALONE -> RedisClient.builder()
                    .hostAndPort(nodes.iterator().next()).clientConfig(config.build()).poolConfig(pool).build();
            // Sentinels hold no data and usually no password: only the timeouts and TLS carry over to them.
            case SENTINEL -> RedisSentinelClient.builder()
                    .masterName(settings.value(SENTINEL_MASTER_SETTING).orElse(DEFAULT_SENTINEL_MASTER))
                    .sentinels(nodes)
                    .sentinelClientConfig(sentinelConfig(endpoint, settings, timeoutMillis))
                    .clientConfig(config.build()).poolConfig(pool).build();
            // A pool per node; a command that meets a moved slot or a failover is retried on the right node within
            // a bounded total time, so a cluster change slows requests a little instead of failing them.
            case CLUSTER -> RedisClusterClient.builder()
                    .nodes(nodes).clientConfig(config.build()).poolConfig(pool)
                    .maxTotalRetriesDuration(Duration.ofMillis(3L * timeoutMillis)).build();
        };
    }

    private static DefaultJedisClientConfig sentinelConfig(RedisEndpoint endpoint, StorageSettings settings,
            int timeoutMillis) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMillis)
                .socketTimeoutMillis(timeoutMillis)
                .clientName("ncp");
        RedisTls.apply(config, endpoint.tls(), settings.value(RedisTls.CA_FILE_SETTING));
        return config.build();
    }

    private static int timeoutMillis(StorageSettings settings) {
        String value = settings.value(TIMEOUT_SETTING).orElse(null);
        if (value == null) {
            return DEFAULT_TIMEOUT_MILLIS;
        }
        try {
            int millis = Integer.parseInt(value.trim());
            if (millis > 0) {
                return millis;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StorageException(TIMEOUT_SETTING + " must be a positive number of milliseconds, e.g. "
                + TIMEOUT_SETTING + "=2000; got '" + value + "'.");
    }
}
