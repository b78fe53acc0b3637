package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped auth-keyfile plugin as a user runs it: {@code ncp keys add} issues a key, a started ncp accepts it,
 * {@code ncp keys revoke} from another process takes effect within a second, without a restart.
 */
class KeyFileBundleTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path work;

    private static int models(BundleProcess ncp, String key) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(ncp.url("/v1/models"))).timeout(Duration.ofSeconds(10));
        if (key != null) {
            b.header("x-api-key", key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void keysIssuedByTheCliAreAcceptedAndARevocationIsHonouredWithinASecond() throws Exception {
        Path keyFile = work.resolve("shared/keys.json");
        var admin = new BundleProcess(Files.createDirectories(work.resolve("admin"))).env("NCP_KEY_FILE", keyFile.toString());
        assertEquals(0, admin.runToExit(List.of("keys", "add", "alice", "--rpm", "50"), Duration.ofSeconds(60)),
                admin.stderr());
        var m = Pattern.compile("sk-ncp-[A-Za-z0-9_-]{43}").matcher(admin.stdout());
        assertTrue(m.find(), admin.stdout());
        String key = m.group();
        assertFalse(Files.readString(keyFile).contains(key), "hashes only on disk");

        try (var ncp = new BundleProcess(Files.createDirectories(work.resolve("server")))
                .env("NCP_KEY_FILE", keyFile.toString()).start()) {
            assertEquals(200, models(ncp, key));
            assertEquals(401, models(ncp, null));

            var revoke = new BundleProcess(Files.createDirectories(work.resolve("revoke")))
                    .env("NCP_KEY_FILE", keyFile.toString());
            assertEquals(0, revoke.runToExit(List.of("keys", "revoke", "alice"), Duration.ofSeconds(60)),
                    revoke.stderr());
            long revokedAt = System.nanoTime();
            int status = 200;
            while (status == 200 && System.nanoTime() - revokedAt < Duration.ofSeconds(3).toNanos()) {
                status = models(ncp, key);
            }
            assertEquals(401, status);
            assertTrue(System.nanoTime() - revokedAt < Duration.ofSeconds(1).toNanos(), "refused within a second");

            var list = new BundleProcess(Files.createDirectories(work.resolve("list")))
                    .env("NCP_KEY_FILE", keyFile.toString());
            assertEquals(0, list.runToExit(List.of("keys", "list"), Duration.ofSeconds(60)));
            assertTrue(list.stdout().contains("alice") && list.stdout().contains("revoked"), list.stdout());
            assertFalse(list.stdout().contains("sk-ncp-"), list.stdout());
            assertFalse(ncp.stdout().contains(key) || ncp.stderr().contains(key), "the key is never logged");
        }
    }
}
