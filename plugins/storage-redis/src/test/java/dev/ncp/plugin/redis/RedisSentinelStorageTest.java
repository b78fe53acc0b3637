package dev.ncp.plugin.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageContract;
import dev.ncp.api.storage.StorageException;
import dev.ncp.api.storage.StorageSettings;
import dev.ncp.host.testing.RedisServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
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
        // Null-safe: a setup that failed half way must still stop what it started.
        if (sentinel != null) {
            sentinel.close();
        }
        if (primary != null) {
            primary.close();
        }
    }

    @Override
    protected Storage newStorage() {
        return engine.open(new StorageSettings(Path.of("unused"), Map.of(
                "REDIS_URL", "redis://127.0.0.1:" + sentinel.port() + "/0",
                "REDIS_MODE", "sentinel", "REDIS_SENTINEL_MASTER", MASTER)));
    }

    @Test
    void anUnknownPrimaryNameFailsSayingWhichSettingToFix() {
        StorageException e = assertThrows(StorageException.class, () -> engine.open(new StorageSettings(
                Path.of("unused"), Map.of("REDIS_URL", "redis://127.0.0.1:" + sentinel.port(),
                        "REDIS_MODE", "sentinel", "REDIS_SENTINEL_MASTER", "no-such-primary"))));
        assertTrue(e.getMessage().startsWith("The Sentinels at 127.0.0.1:" + sentinel.port()
                + " monitor no primary of that name"), e.getMessage());
        assertTrue(e.getMessage().contains("REDIS_SENTINEL_MASTER"), e.getMessage());
    }

    @Test
    void afterAFailoverNcpUsesThePromotedReplicaAndKeepsWhatWasReplicated(@TempDir Path own) throws Exception {
        String master = "failover-primary";
        try (RedisServerProcess oldPrimary = RedisServerProcess.start(Files.createDirectories(own.resolve("p")));
                RedisServerProcess replica = RedisServerProcess.start(Files.createDirectories(own.resolve("r")),
                        "--replicaof", "127.0.0.1", Integer.toString(oldPrimary.port()));
                RedisServerProcess watcher = RedisServerProcess.sentinel(Files.createDirectories(own.resolve("s")),
                        master, oldPrimary.port());
                Jedis replicaClient = new Jedis("127.0.0.1", replica.port());
                Jedis sentinelClient = new Jedis("127.0.0.1", watcher.port());
                Storage storage = engine.open(new StorageSettings(Path.of("unused"), Map.of(
                        "REDIS_URL", "redis://127.0.0.1:" + watcher.port(), "REDIS_MODE", "sentinel",
                        "REDIS_SENTINEL_MASTER", master, "REDIS_TIMEOUT_MS", "500")))) {
            await(() -> replicaClient.info("replication").contains("master_link_status:up")
                    && !sentinelClient.sentinelReplicas(master).isEmpty(), "the replica to sync and be seen");
            storage.put(key("before"), "replicated", LONG);
            try (Jedis primaryClient = new Jedis("127.0.0.1", oldPrimary.port())) {
                assertEquals(1, primaryClient.waitReplicas(1, 5_000));
            }

            oldPrimary.kill();
            await(() -> {
                try {
                    storage.put(key("after"), "on-the-new-primary", LONG);
                    return true;
                } catch (StorageException stillFailingOver) {
                    return false;
                }
            }, "a write to succeed after the failover");

            assertEquals(Optional.of("replicated"), storage.get(key("before")));
            // Sentinel closes the promoted server's client connections, so look at it through a new one.
            try (Jedis promoted = new Jedis("127.0.0.1", replica.port())) {
                assertTrue(promoted.info("replication").contains("role:master"), "the replica was promoted");
                assertEquals("on-the-new-primary", promoted.get("ncp:" + key("after")));
            }
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("waited 30 s for " + what);
            }
            Thread.sleep(100);
        }
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
