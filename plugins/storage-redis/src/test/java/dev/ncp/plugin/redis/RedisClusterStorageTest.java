package dev.ncp.plugin.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageContract;
import dev.ncp.api.storage.StorageSettings;
import dev.ncp.host.testing.RedisClusterProcess;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * The contract on a real three-primary Redis Cluster: every operation is one key (the windowed increment's script
 * too), so each is routed to the key's slot and stays atomic there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisClusterStorageTest extends StorageContract {

    private final RedisStorageEngine engine = new RedisStorageEngine();
    private RedisClusterProcess cluster;

    @BeforeAll
    void startCluster(@TempDir Path directory) {
        cluster = RedisClusterProcess.start(directory);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected Storage newStorage() {
        return engine.open(new StorageSettings(Path.of("unused"), Map.of("REDIS_URL", cluster.url(),
                "REDIS_MODE", "cluster")));
    }

    @Test
    void keysAndCountersSpreadOverEveryPrimary() {
        for (int i = 0; i < 30; i++) {
            storage().put(key("k" + i), "v" + i, LONG);
            storage().incrementInWindow(key("c" + i), LONG);
        }

        Set<Integer> holding = new HashSet<>();
        for (int port : cluster.ports()) {
            try (RedisClient node = RedisClient.create("redis://127.0.0.1:" + port)) {
                if (node.dbSize() > 0) { // a node's DBSIZE counts only the keys of its own slots
                    holding.add(port);
                }
            }
        }
        assertEquals(Set.copyOf(cluster.ports()), holding, "with 60 keys every primary holds some");
        for (int i = 0; i < 30; i++) {
            assertEquals("v" + i, storage().get(key("k" + i)).orElseThrow());
            assertEquals(2, storage().incrementInWindow(key("c" + i), LONG));
        }
        assertTrue(storage().health().healthy(), storage().health().detail());
    }
}
