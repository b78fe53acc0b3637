package dev.ncp.dist;

import dev.ncp.host.idempotency.IdempotencyScenarios;
import dev.ncp.host.limits.RateLimitScenarios;
import dev.ncp.host.sessions.SessionScenarios;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.usage.UsageScenarios;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage-backed feature scenarios on the bundle's SQLite plugin (each proxy gets its own database file in its
 * own home directory).
 */
class SqliteStorageFeaturesTest {

    @TempDir
    static Path work;

    static ProxyHarness sqlite(Map<String, String> env) {
        return ProxyHarness.start(StoragePlugins.engine("sqlite", work, env));
    }

    @Nested
    class Idempotency extends IdempotencyScenarios {
        @Override
        protected ProxyHarness startProxy(Map<String, String> env) {
            return sqlite(env);
        }
    }

    @Nested
    class RateLimits extends RateLimitScenarios {
        @Override
        protected ProxyHarness startProxy(Map<String, String> env) {
            return sqlite(env);
        }
    }

    @Nested
    class Sessions extends SessionScenarios {
        @Override
        protected ProxyHarness startProxy(Map<String, String> env) {
            return sqlite(env);
        }
    }

    @Nested
    class Usage extends UsageScenarios {
        @Override
        protected ProxyHarness startProxy(Map<String, String> env) {
            return ProxyHarness.start(StoragePlugins.withTestUsers(StoragePlugins.engine("sqlite", work, env), work));
        }
    }
}
