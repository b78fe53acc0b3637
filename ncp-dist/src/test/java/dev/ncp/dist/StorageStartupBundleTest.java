package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.testing.HttpCalls;
import dev.ncp.host.testing.RedisServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Storage that cannot open at startup: one clear line and exit 2, unless a memory fallback was asked for. */
class StorageStartupBundleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void redisDownAtStartStopsNcpWithOneLineNamingTheAddress() throws Exception {
        int port = RedisServerProcess.freeLoopbackPort();
        var ncp = new BundleProcess(work).env("STORAGE_ENGINE", "redis").env("REDIS_URL", "redis://127.0.0.1:" + port);
        assertEquals(2, ncp.runToExit(List.of("proxy"), Duration.ofSeconds(60)));
        String line = lastLine(ncp.stderr());
        assertTrue(line.startsWith("ncp: Cannot reach Redis at 127.0.0.1:" + port + " ("), ncp.stderr());
        assertTrue(line.contains("STORAGE_ENGINE=sqlite"), "it says what else to do: " + line);
        assertTrue(!ncp.stderr().contains("\tat "), "no stack trace: " + ncp.stderr());
    }

    @Test
    void withTheMemoryFallbackNcpStartsOnMemoryAndWarnsLoudly() throws Exception {
        int port = RedisServerProcess.freeLoopbackPort();
        var ncp = new BundleProcess(work).env("STORAGE_ENGINE", "redis").env("REDIS_URL", "redis://127.0.0.1:" + port)
                .env("NCP_STORAGE_FALLBACK", "memory");
        try (ncp) {
            ncp.start();
            var health = HttpCalls.get(ncp.url(""), "/health", Map.of());
            assertEquals(200, health.statusCode(), HttpCalls.text(health));
            JsonNode storage = JSON.readTree(health.body()).path("storage");
            assertEquals("memory", storage.path("engine").asText());
            assertTrue(storage.path("fallback").asText().contains("127.0.0.1:" + port), storage.toString());
            assertTrue(ncp.stderr().contains("STORAGE FALLBACK"), ncp.stderr());
        }
    }

    @Test
    void aCorruptSqliteFileStopsNcpWithOneLineNamingThePath() throws Exception {
        Path db = work.resolve("ncp.db"); // BundleProcess points NCP_SQLITE_PATH here
        Files.write(db, "this is not a database, but it is long enough to look like a header".repeat(100)
                .getBytes());
        var ncp = new BundleProcess(work).env("STORAGE_ENGINE", "sqlite");
        assertEquals(2, ncp.runToExit(List.of("proxy"), Duration.ofSeconds(60)));
        String line = lastLine(ncp.stderr());
        assertTrue(line.startsWith("ncp: The file " + db.toAbsolutePath() + " is not a usable SQLite database"),
                ncp.stderr());
        assertTrue(!ncp.stderr().contains("\tat "), "no stack trace: " + ncp.stderr());
    }

    private static String lastLine(String text) {
        List<String> lines = text.strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
