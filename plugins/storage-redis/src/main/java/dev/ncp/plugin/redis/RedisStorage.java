package dev.ncp.plugin.redis;

import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageHealth;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * A {@link Storage} on a pooled Jedis client. Each operation is one Redis command (or one Lua script), so Redis's
 * single-threaded execution makes it atomic across every ncp instance sharing the server, and Redis's own expiry
 * makes expired keys absent. All keys carry a prefix, so several deployments can share one Redis database.
 */
final class RedisStorage implements Storage {

    private static final Duration MAX_TTL = Duration.ofDays(365L * 100);

    /**
     * A fresh counter has no TTL yet; setting the deadline only then keeps the window fixed, however often it is
     * incremented. Testing PTTL rather than {@code count == 1} also repairs a counter somehow left without one.
     * A script, because INCR and PEXPIRE sent separately could be split by a crash or a concurrent client.
     */
    private static final String INCREMENT_IN_WINDOW = """
            local count = redis.call('INCR', KEYS[1])
            if redis.call('PTTL', KEYS[1]) == -1 then
                redis.call('PEXPIRE', KEYS[1], ARGV[1])
            end
            return count""";

    private final UnifiedJedis client;
    private final RedisEndpoint endpoint;
    private final String prefix;
    private final AtomicBoolean closed = new AtomicBoolean();

    RedisStorage(UnifiedJedis client, RedisEndpoint endpoint, String prefix) {
        this.client = client;
        this.endpoint = endpoint;
        this.prefix = prefix;
    }

    @Override
    public Optional<String> get(String key) {
        String redisKey = redisKey(key);
        return call(() -> Optional.ofNullable(client.get(redisKey)));
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        String redisKey = redisKey(key);
        Objects.requireNonNull(value, "value");
        SetParams expiring = SetParams.setParams().px(positiveMillis(ttl));
        call(() -> client.set(redisKey, value, expiring));
    }

    @Override
    public boolean putIfAbsent(String key, String value, Duration ttl) {
        String redisKey = redisKey(key);
        Objects.requireNonNull(value, "value");
        SetParams claim = SetParams.setParams().nx().px(positiveMillis(ttl));
        // SET NX answers OK when it stored the value and nil when the key already existed.
        return call(() -> "OK".equals(client.set(redisKey, value, claim)));
    }

    @Override
    public boolean delete(String key) {
        String redisKey = redisKey(key);
        return call(() -> client.del(redisKey) == 1);
    }

    @Override
    public long incrementInWindow(String key, Duration window) {
        String redisKey = redisKey(key);
        String windowMillis = Long.toString(positiveMillis(window));
        return call(() -> (Long) client.eval(INCREMENT_IN_WINDOW, List.of(redisKey), List.of(windowMillis)));
    }

    @Override
    public StorageHealth health() {
        long start = System.nanoTime();
        try {
            String reply = client.ping();
            double millis = (System.nanoTime() - start) / 1e6;
            return StorageHealth.up(String.format("redis %s answered %s in %.1f ms", endpoint, reply, millis));
        } catch (JedisException e) {
            return StorageHealth.down(RedisFailures.during(endpoint, e).getMessage());
        } catch (RuntimeException e) {
            return StorageHealth.down("redis " + endpoint + ": " + endpoint.redact(e.getMessage()));
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            client.close();
        }
    }

    private String redisKey(String key) {
        return prefix + Objects.requireNonNull(key, "key");
    }

    private <T> T call(Supplier<T> command) {
        try {
            return command.get();
        } catch (JedisException e) {
            throw RedisFailures.during(endpoint, e);
        }
    }

    /** Rounds sub-millisecond durations up: PX 0 is an error in Redis, not an instant expiry. */
    private static long positiveMillis(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a TTL or window must be positive, got " + duration);
        }
        return Math.max(1, (duration.compareTo(MAX_TTL) > 0 ? MAX_TTL : duration).toMillis());
    }
}
