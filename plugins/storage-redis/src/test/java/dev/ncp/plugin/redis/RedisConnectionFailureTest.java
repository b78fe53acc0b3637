package dev.ncp.plugin.redis;

import dev.ncp.host.testing.RedisServerProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageException;
import dev.ncp.api.storage.StorageHealth;
import dev.ncp.api.storage.StorageSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees when Redis is missing, misconfigured, password-protected or goes away. */
class RedisConnectionFailureTest {

    private static final String PASSWORD = "s3cret-Pa55-w0rd";
    private static final Duration LONG = Duration.ofMinutes(5);

    @TempDir
    Path directory;

    private final RedisStorageEngine engine = new RedisStorageEngine();

    @Test
    void missingRedisUrlFailsSayingToSetItWithAnExample() {
        StorageException e = assertThrows(StorageException.class, () -> engine.open(settings(Map.of())));
        assertTrue(e.getMessage().contains("needs REDIS_URL"), e.getMessage());
        assertTrue(e.getMessage().contains("REDIS_URL=redis://localhost:6379/0"), e.getMessage());
    }

    @Test
    void malformedUrlFailsWithoutEchoingTheUrlOrItsPassword() {
        for (String url : new String[] {"http://:" + PASSWORD + "@localhost:6379", "redis://:" + PASSWORD + "@:bad/x",
                "redis://" + PASSWORD + "@localhost:6379", "redis://:" + PASSWORD + "@localhost:6379/db"}) {
            StorageException e = assertThrows(StorageException.class,
                    () -> engine.open(settings(Map.of("REDIS_URL", url))), url);
            assertTrue(e.getMessage().contains("REDIS_URL is not a usable Redis URL"), e.getMessage());
            assertPasswordNowhere(e);
        }
    }

    @Test
    void unreachableServerFailsQuicklyNamingHostAndPortButNotThePassword() {
        int port = RedisServerProcess.freeLoopbackPort();
        Map<String, String> values = Map.of("REDIS_URL", "redis://:" + PASSWORD + "@127.0.0.1:" + port,
                "REDIS_TIMEOUT_MS", "500");

        StorageException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(StorageException.class, () -> engine.open(settings(values))));

        assertTrue(e.getMessage().contains("Cannot reach Redis at 127.0.0.1:" + port), e.getMessage());
        assertTrue(e.getMessage().contains("Check that Redis is running"), e.getMessage());
        assertPasswordNowhere(e);
    }

    @Test
    void passwordProtectedServerAcceptsThePasswordFromTheUrlOrFromRedisPassword() {
        try (RedisServerProcess server = RedisServerProcess.start(directory, "--requirepass", PASSWORD)) {
            String base = "127.0.0.1:" + server.port();
            try (Storage fromUrl = engine.open(settings(Map.of("REDIS_URL", "redis://:" + PASSWORD + "@" + base)));
                    Storage fromSetting = engine.open(settings(Map.of("REDIS_URL", "redis://" + base,
                            "REDIS_PASSWORD", PASSWORD)))) {
                fromUrl.put("k", "v", LONG);
                assertEquals(Optional.of("v"), fromSetting.get("k"));
                assertFalse(fromUrl.health().detail().contains(PASSWORD));
            }
        }
    }

    @Test
    void wrongOrMissingPasswordFailsWithoutRevealingIt() {
        try (RedisServerProcess server = RedisServerProcess.start(directory, "--requirepass", "the-right-one")) {
            String base = "127.0.0.1:" + server.port();
            for (String url : new String[] {"redis://:" + PASSWORD + "@" + base, "redis://" + base}) {
                StorageException e = assertThrows(StorageException.class,
                        () -> engine.open(settings(Map.of("REDIS_URL", url))));
                assertTrue(e.getMessage().contains("Redis at " + base + " rejected ncp's login"), e.getMessage());
                assertTrue(e.getMessage().contains("REDIS_PASSWORD"), e.getMessage());
                assertPasswordNowhere(e);
            }
        }
    }

    @Test
    void serverGoingAwayMakesHealthDownAndOperationsFailWithStorageException() {
        RedisServerProcess server = RedisServerProcess.start(directory, "--requirepass", PASSWORD);
        Map<String, String> values = Map.of("REDIS_URL", "redis://:" + PASSWORD + "@127.0.0.1:" + server.port(),
                "REDIS_TIMEOUT_MS", "500");
        try (Storage storage = engine.open(settings(values))) {
            storage.put("k", "v", LONG);
            server.close();

            StorageHealth health = assertTimeoutPreemptively(Duration.ofSeconds(5), storage::health);
            assertFalse(health.healthy());
            assertTrue(health.detail().contains("127.0.0.1:" + server.port()), health.detail());
            assertFalse(health.detail().contains(PASSWORD), health.detail());

            StorageException e = assertThrows(StorageException.class, () -> storage.get("k"));
            assertTrue(e.getMessage().contains("127.0.0.1:" + server.port()), e.getMessage());
            assertPasswordNowhere(e);
        } finally {
            server.close();
        }
    }

    private static StorageSettings settings(Map<String, String> values) {
        return new StorageSettings(Path.of("unused"), new HashMap<>(values));
    }

    /** Neither the message nor any cause's or suppressed exception's message (all end up in logs) has it. */
    private static void assertPasswordNowhere(Throwable e) {
        assertFalse(String.valueOf(e.getMessage()).contains(PASSWORD), "password leaked in: " + e);
        for (Throwable suppressed : e.getSuppressed()) {
            assertPasswordNowhere(suppressed);
        }
        if (e.getCause() != null && e.getCause() != e) {
            assertPasswordNowhere(e.getCause());
        }
    }
}
