package dev.ncp.plugin.redis;

import dev.ncp.host.testing.RedisServerProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageContract;
import dev.ncp.api.storage.StorageHealth;
import dev.ncp.api.storage.StorageSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

/** The contract against a real redis-server, plus what only Redis has: key prefixes and server-side TTLs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisStorageEngineTest extends StorageContract {

    private final RedisStorageEngine engine = new RedisStorageEngine();
    private RedisServerProcess server;
    private RedisClient raw;

    @BeforeAll
    void startRedis(@TempDir Path directory) {
        server = RedisServerProcess.start(directory);
        raw = RedisClient.create(server.url());
    }

    @AfterAll
    void stopRedis() {
        raw.close();
        server.close();
    }

    @Override
    protected Storage newStorage() {
        return open(Map.of());
    }

    private Storage open(Map<String, String> extra) {
        var values = new java.util.HashMap<>(extra);
        values.put("REDIS_URL", server.url());
        return engine.open(new StorageSettings(Path.of("unused"), values));
    }

    @Test
    void isNamedRedis() {
        assertEquals("redis", engine.name());
    }

    @Test
    void keysAreStoredUnderTheDefaultNcpPrefixWithAServerSideTtl() {
        storage().put(key("k"), "v", SHORT.multipliedBy(100));

        assertEquals("v", raw.get("ncp:" + key("k")));
        long pttl = raw.pttl("ncp:" + key("k"));
        assertTrue(pttl > 0 && pttl <= SHORT.multipliedBy(100).toMillis(), "PTTL " + pttl);
    }

    @Test
    void counterWindowIsAServerSideTtlSetByTheFirstIncrement() {
        storage().incrementInWindow(key("counter"), LONG);
        long first = raw.pttl("ncp:" + key("counter"));
        storage().incrementInWindow(key("counter"), LONG);

        assertTrue(first > 0, "PTTL " + first);
        assertTrue(raw.pttl("ncp:" + key("counter")) <= first, "a later increment must not extend the window");
        assertEquals("2", raw.get("ncp:" + key("counter")));
    }

    @Test
    void enginesWithDifferentPrefixesDoNotSeeEachOthersKeys() {
        try (Storage tenantA = open(Map.of("REDIS_PREFIX", "tenant-a:"));
                Storage tenantB = open(Map.of("REDIS_PREFIX", "tenant-b:"))) {
            tenantA.put(key("shared-name"), "a", LONG);

            assertEquals(Optional.empty(), tenantB.get(key("shared-name")));
            assertTrue(tenantB.putIfAbsent(key("shared-name"), "b", LONG));
            assertEquals(Optional.of("a"), tenantA.get(key("shared-name")));
            assertEquals(Optional.of("b"), tenantB.get(key("shared-name")));

            tenantA.incrementInWindow(key("counter"), LONG);
            assertEquals(1, tenantB.incrementInWindow(key("counter"), LONG));
            assertEquals(Optional.empty(), storage().get(key("shared-name")), "the default ncp: prefix sees neither");
        }
    }

    @Test
    void healthNamesTheServerAndTheLatency() {
        StorageHealth health = storage().health();
        assertTrue(health.healthy(), health.detail());
        assertTrue(health.detail().contains("127.0.0.1:" + server.port()), health.detail());
        assertTrue(health.detail().matches(".*PONG in [0-9.]+ ms"), health.detail());
    }

    @Test
    void databaseNumberInTheUrlSelectsThatDatabase() {
        try (Storage inThree = engine.open(new StorageSettings(Path.of("unused"),
                Map.of("REDIS_URL", server.url() + "/3")))) {
            inThree.put(key("k"), "in-db-3", LONG);
            assertEquals(1, inThree.incrementInWindow(key("counter"), LONG));
        }

        try (Jedis three = new Jedis("127.0.0.1", server.port())) {
            assertEquals("OK", three.select(3));
            assertEquals("in-db-3", three.get("ncp:" + key("k")));
            assertEquals("1", three.get("ncp:" + key("counter")));
        }
        assertEquals(null, raw.get("ncp:" + key("k")), "database 0 does not have it");
    }
}
