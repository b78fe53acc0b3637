package dev.ncp.dist;

import dev.ncp.host.idempotency.IdempotencyScenarios;
import dev.ncp.host.limits.RateLimitScenarios;
import dev.ncp.host.sessions.SessionScenarios;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.RedisServerProcess;
import dev.ncp.host.usage.UsageScenarios;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage-backed feature scenarios on the bundle's Redis plugin and a real {@code redis-server}. Every proxy
 * gets its own key prefix, so scenarios sharing the server never see each other's counters.
 */
class RedisStorageFeaturesTest {

    @TempDir
    static Path work;

    private static RedisServerProcess redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServerProcess.start(work);
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    static ProxyHarness onRedis(Map<String, String> env) {
        return ProxyHarness.start(redisEnv(env));
    }

    static Map<String, String> redisEnv(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("REDIS_URL", redis.url());
        all.put("REDIS_PREFIX", "test-" + UUID.randomUUID() + ":");
        return StoragePlugins.engine("redis", work, all);
    }

    @Nested
    class Idempotency extends IdempotencyScenarios {
        @Override
        protected ProxyHarness startProxy(Map<String, String> env) {
            return onRedis(env);
        }
    }

    @Nested
    class RateLimits extends RateLimitScenarios {
        @Override
        protected ProxyHarness startProxy(Map<String, String> env) {
            return onRedis(env);
        }
    }

    @Nested
    class Sessions extends SessionScenarios {
        @Override
        protected ProxyHarness startProxy(Map<String, String> env) {
            return onRedis(env);
        }
    }

    @Nested
    class Usage extends UsageScenarios {
        @Override
        protected ProxyHarness startProxy(Map<String, String> env) {
            return ProxyHarness.start(StoragePlugins.withTestUsers(redisEnv(env), work));
        }
    }
}
