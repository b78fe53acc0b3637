package dev.ncp.plugin.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageContract;
import dev.ncp.api.storage.StorageSettings;
import dev.ncp.host.testing.RedisServerProcess;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * The contract through Redis Sentinel: REDIS_URL lists the Sentinel, which names the primary that ncp then uses.
 * A real primary and a real Sentinel (redis-server --sentinel) on free loopback ports.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisSentinelStorageTest extends StorageContract {

    private static final String MASTER = "ncp-primary";

    private final RedisStorageEngine engine = new RedisStorageEngine();
    private RedisServerProcess primary;
    private RedisServerProcess sentinel;

    @BeforeAll
    void startPrimaryAndSentinel(@TempDir Path directory) {
        primary = RedisServerProcess.start(directory);
        sentinel = RedisServerProcess.sentinel(directory, MASTER, primary.port());
    }

    @AfterAll
    void stop() {
        sentinel.close();
        primary.close();
    }

    @Override
    protected Storage newStorage() {
        return engine.open(new StorageSettings(Path.of("unused"), Map.of(
                "REDIS_URL", "redis://127.0.0.1:" + sentinel.port() + "/0",
                "REDIS_MODE", "sentinel", "REDIS_SENTINEL_MASTER", MASTER)));
    }

    @Test
    void writesLandOnThePrimaryTheSentinelNames() {
        storage().put(key("k"), "through-sentinel", LONG);

        try (RedisClient direct = RedisClient.create(primary.url())) {
            assertEquals("through-sentinel", direct.get("ncp:" + key("k")));
        }
        assertTrue(storage().health().healthy(), storage().health().detail());
    }
}
