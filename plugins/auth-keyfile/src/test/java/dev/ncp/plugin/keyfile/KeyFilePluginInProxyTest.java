package dev.ncp.plugin.keyfile;

import static dev.ncp.host.testing.HttpCalls.messagesBody;
import static dev.ncp.host.testing.HttpCalls.postMessages;
import static dev.ncp.host.testing.HttpCalls.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.host.testing.HttpCalls;
import dev.ncp.host.testing.PluginJars;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.keyfile.KeyFile;
import dev.ncp.keyfile.KeyHashing;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin loaded from a jar into a whole ncp: keys issued, used, revoked and expired while it runs. */
class KeyFilePluginInProxyTest {

    private static final KeyHashing KEYS = new KeyHashing(new SecureRandom());

    @TempDir
    Path dir;

    private ProxyHarness proxy(Path keyFile) throws Exception {
        Path plugins = dir.resolve("plugins");
        PluginJars.fromClassesOf(KeyFileAuthProvider.class, "auth-keyfile", plugins);
        return ProxyHarness.start(Map.of("NCP_PLUGINS_DIR", plugins.toString(), "NCP_KEY_FILE", keyFile.toString()));
    }

    private static HttpResponse<byte[]> ask(ProxyHarness h, String key) {
        h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
        return postMessages(h.baseUrl(), messagesBody(false, "hi"), key == null ? Map.of() : Map.of("x-api-key", key));
    }

    @Test
    void anIssuedKeyWorksUntilRevokedAndIsRefusedWithinASecondOfRevocationWithoutRestart() throws Exception {
        Path file = dir.resolve("keys.json");
        var alice = KEYS.issue("alice", null, List.of(), null, Instant.now());
        KeyFile.empty().with(alice.entry()).write(file);
        try (var h = proxy(file)) {
            assertTrue(h.server().authProviders().contains("key-file"), h.server().authProviders().toString());
            assertEquals(200, ask(h, alice.key()).statusCode());
            assertEquals(200, ask(h, alice.key()).statusCode()); // the cached verification

            assertEquals(401, postMessages(h.baseUrl(), messagesBody(false, "hi"), Map.of()).statusCode());
            String forged = alice.key().substring(0, alice.key().length() - 4) + "AAAA";
            var wrong = postMessages(h.baseUrl(), messagesBody(false, "hi"), Map.of("x-api-key", forged));
            assertEquals(401, wrong.statusCode());
            assertTrue(text(wrong).contains("authentication_error"), text(wrong));
            assertFalse(text(wrong).contains(forged), "a key is never echoed");

            KeyFile.readOrEmpty(file).replacing(alice.entry().revokedAt(Instant.now())).write(file);
            long revokedAt = System.nanoTime();
            int status = 200;
            while (status == 200 && System.nanoTime() - revokedAt < Duration.ofSeconds(3).toNanos()) {
                // GET /v1/models: behind the same auth, and it needs no scripted upstream answer
                status = HttpCalls.get(h.baseUrl(), "/v1/models", Map.of("x-api-key", alice.key())).statusCode();
            }
            long tookMs = Duration.ofNanos(System.nanoTime() - revokedAt).toMillis();
            assertEquals(401, status);
            assertTrue(tookMs < 1000, "revocation took " + tookMs + " ms");
            var refused = postMessages(h.baseUrl(), messagesBody(false, "hi"), Map.of("x-api-key", alice.key()));
            assertTrue(text(refused).contains("revoked"), text(refused));
        }
    }

    @Test
    void aKeyAddedWhileRunningWorksWithinASecondAndCarriesItsLimitsAndModels() throws Exception {
        Path file = dir.resolve("keys.json");
        KeyFile.empty().with(KEYS.issue("first", null, List.of(), null, Instant.now()).entry()).write(file);
        try (var h = proxy(file)) {
            var bob = KEYS.issue("bob", 100, List.of("claude-opus-4-5"), null, Instant.now());
            KeyFile.readOrEmpty(file).with(bob.entry()).write(file);
            Thread.sleep(KeyRing.RELOAD_EVERY.toMillis() + 100);
            assertEquals(200, ask(h, bob.key()).statusCode());

            String otherModel = messagesBody(false, "hi").replace("claude-opus-4-5", "claude-haiku-4-5");
            var forbidden = postMessages(h.baseUrl(), otherModel, Map.of("x-api-key", bob.key()));
            assertEquals(403, forbidden.statusCode(), text(forbidden));
            assertTrue(text(forbidden).contains("permission_error"), text(forbidden));
        }
    }

    @Test
    void aKeysOwnRequestsPerMinuteRefusesItsSecondRequestWhileOtherKeysGoOn() throws Exception {
        Path file = dir.resolve("keys.json");
        var dave = KEYS.issue("dave", 1, List.of(), null, Instant.now());
        var erin = KEYS.issue("erin", null, List.of(), null, Instant.now());
        KeyFile.empty().with(dave.entry()).with(erin.entry()).write(file);
        try (var h = proxy(file)) {
            HttpCalls.awaitRoomInCurrentMinute(Duration.ofSeconds(10)); // limits count in clock-aligned minutes
            assertEquals(200, ask(h, dave.key()).statusCode());
            var second = postMessages(h.baseUrl(), messagesBody(false, "again"), Map.of("x-api-key", dave.key()));
            assertEquals(429, second.statusCode(), text(second));
            assertTrue(text(second).contains("rate_limit_error"), text(second));
            assertTrue(text(second).contains("key:dave"), "names the principal, never the key: " + text(second));
            assertFalse(text(second).contains(dave.key()), text(second));
            assertTrue(second.headers().firstValue("retry-after").isPresent());
            assertEquals(200, ask(h, erin.key()).statusCode(), "another key has its own allowance");
        }
    }

    @Test
    void anExpiredKeyIsRefusedWithAClearMessage() throws Exception {
        Path file = dir.resolve("keys.json");
        var old = KEYS.issue("old", null, List.of(), Instant.now().minusSeconds(60), Instant.now().minusSeconds(3600));
        var current = KEYS.issue("current", null, List.of(), Instant.now().plusSeconds(3600), Instant.now());
        KeyFile.empty().with(old.entry()).with(current.entry()).write(file);
        try (var h = proxy(file)) {
            var refused = postMessages(h.baseUrl(), messagesBody(false, "hi"), Map.of("x-api-key", old.key()));
            assertEquals(401, refused.statusCode());
            assertTrue(text(refused).contains("The ncp key 'old' expired on"), text(refused));
            assertEquals(200, ask(h, current.key()).statusCode());
        }
    }

    @Test
    void onlyHashesReachTheDisk() throws Exception {
        Path file = dir.resolve("keys.json");
        var carol = KEYS.issue("carol", 10, List.of(), null, Instant.now());
        KeyFile.empty().with(carol.entry()).write(file);
        String onDisk = Files.readString(file);
        assertFalse(onDisk.contains(carol.key()), onDisk);
        assertFalse(onDisk.contains(carol.key().substring(KeyHashing.PREFIX.length() + 8)), "the secret part");
        assertTrue(onDisk.contains("\"iterations\" : " + KeyHashing.ITERATIONS), onDisk);
        assertTrue(KeyHashing.matches(carol.key(), KeyFile.parse(Files.readAllBytes(file)).keys().get(0)));
    }

    @Test
    void withoutAKeyFileThePluginTakesNoPart() throws Exception {
        try (var h = proxy(dir.resolve("missing.json"))) {
            assertFalse(h.server().authProviders().contains("key-file"));
        }
    }
}
