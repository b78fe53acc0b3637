package dev.ncp.dist;

import static dev.ncp.host.testing.HttpCalls.messagesBody;
import static dev.ncp.host.testing.HttpCalls.postMessages;
import static dev.ncp.host.testing.HttpCalls.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.RedisServerProcess;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.ScriptedUpstream;
import dev.ncp.host.usage.UsageScenarios;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Usage accounting as users run it: keys issued by {@code ncp keys add}, requests through the bundle, the report read
 * by the operator and by a key of its own, with {@code GET /v1/ncp/usage} and {@code ncp usage}. The figures survive a
 * clean restart on SQLite, and two instances on one Redis add up into one report.
 */
class UsageBundleTest {

    private static final String BY_KEY = "?group_by=principal,model";

    @TempDir
    Path work;

    /** {@code ncp keys add} for each name (the last one an operator), in one shared key file. */
    private Map<String, String> issueKeys(Path keyFile, String... names) throws Exception {
        var keys = new java.util.HashMap<String, String>();
        for (int i = 0; i < names.length; i++) {
            var admin = new BundleProcess(Files.createDirectories(work.resolve("admin-" + names[i])))
                    .env("NCP_KEY_FILE", keyFile.toString());
            List<String> command = i == names.length - 1
                    ? List.of("keys", "add", names[i], "--operator") : List.of("keys", "add", names[i]);
            assertEquals(0, admin.runToExit(command, Duration.ofSeconds(60)), admin.stderr());
            var m = Pattern.compile("sk-ncp-[A-Za-z0-9_-]{43}").matcher(admin.stdout());
            assertTrue(m.find(), admin.stdout());
            keys.put(names[i], m.group());
        }
        return keys;
    }

    private static void ask(BundleProcess ncp, String key, int times) {
        for (int i = 0; i < times; i++) {
            HttpResponse<byte[]> r = postMessages(ncp.url(""), messagesBody(i % 2 == 0, "Hi " + i),
                    Map.of("x-api-key", key));
            assertEquals(200, r.statusCode(), text(r));
        }
    }

    /** Key-file principals are named {@code key:<name>}. */
    private static void assertFourAndTwo(JsonNode report) {
        long alice = 0, bob = 0;
        for (JsonNode row : report.path("data")) {
            assertTrue(row.path("input_tokens").asLong() > 0 && row.path("output_tokens").asLong() > 0,
                    report.toString());
            switch (row.path("principal").asText()) {
                case "key:alice" -> alice += row.path("requests").asLong();
                case "key:bob" -> bob += row.path("requests").asLong();
                default -> throw new AssertionError("only alice and bob asked: " + report);
            }
        }
        assertEquals(4, alice, report.toString());
        assertEquals(2, bob, report.toString());
    }

    @Test
    void usageSurvivesACleanRestartOnSqliteAndNcpUsagePrintsIt() throws Exception {
        Path keyFile = work.resolve("shared/keys.json");
        Map<String, String> keys = issueKeys(keyFile, "alice", "bob", "ops");
        try (var upstream = ScriptedUpstream.start()) {
            for (int i = 0; i < 6; i++) {
                upstream.enqueue(Script.fixture("text-stop-usage-last.sse"));
            }
            var ncp = new BundleProcess(Files.createDirectories(work.resolve("server")))
                    .env("STORAGE_ENGINE", "sqlite").env("NCP_KEY_FILE", keyFile.toString())
                    .env("NVIDIA_BASE_URL", upstream.baseUrl().toString())
                    .env("NVIDIA_API_KEY", ProxyHarness.UPSTREAM_KEY);
            try (ncp) {
                ncp.start();
                ask(ncp, keys.get("alice"), 4);
                ask(ncp, keys.get("bob"), 2);
                // Stopped at once, before anyone read the report: the records still on their way are written on close.
                ncp.close();

                ncp.start();
                JsonNode all = UsageScenarios.awaitRequests(ncp.url(""), Map.of("x-api-key", keys.get("ops")), BY_KEY,
                        6);
                assertFourAndTwo(all);
                JsonNode own = UsageScenarios.awaitRequests(ncp.url(""), Map.of("x-api-key", keys.get("bob")), BY_KEY,
                        2);
                assertEquals(1, own.path("data").size(), own.toString());
                assertEquals("key:bob", own.path("data").path(0).path("principal").asText());

                var cli = new BundleProcess(Files.createDirectories(work.resolve("cli")));
                assertEquals(0, cli.runToExit(List.of("usage", "--url", ncp.url(""), "--api-key", keys.get("ops")),
                        Duration.ofSeconds(60)), cli.stderr());
                String table = cli.stdout();
                assertTrue(Pattern.compile("(?m)^key:alice\\s+\\S+\\s+4\\s").matcher(table).find(), table);
                assertTrue(Pattern.compile("(?m)^key:bob\\s+\\S+\\s+2\\s").matcher(table).find(), table);
                assertTrue(Pattern.compile("(?m)^total\\s+6\\s").matcher(table).find(), table);
            }
        }
    }

    @Test
    void twoInstancesOnOneRedisAddUpIntoOneReport() throws Exception {
        Path keyFile = work.resolve("shared/keys.json");
        Map<String, String> keys = issueKeys(keyFile, "alice", "bob", "ops");
        try (var upstream = ScriptedUpstream.start();
             var redis = RedisServerProcess.start(Files.createDirectories(work.resolve("redis")))) {
            for (int i = 0; i < 6; i++) {
                upstream.enqueue(Script.fixture("text-then-tool-call.sse"));
            }
            String prefix = "fleet-" + UUID.randomUUID() + ":";
            try (var a = instance("a", keyFile, upstream, redis, prefix);
                 var b = instance("b", keyFile, upstream, redis, prefix)) {
                ask(a, keys.get("alice"), 2);
                ask(b, keys.get("alice"), 2);
                ask(b, keys.get("bob"), 2);
                // Each instance writes its own share within a second; B's report includes A's share once written.
                UsageScenarios.awaitRequests(a.url(""), Map.of("x-api-key", keys.get("ops")), BY_KEY, 2);
                JsonNode onB = UsageScenarios.awaitRequests(b.url(""), Map.of("x-api-key", keys.get("ops")), BY_KEY,
                        6);
                assertFourAndTwo(onB);
                JsonNode onA = UsageScenarios.awaitRequests(a.url(""), Map.of("x-api-key", keys.get("ops")), BY_KEY,
                        6);
                assertFourAndTwo(onA);
            }
        }
    }

    private BundleProcess instance(String name, Path keyFile, ScriptedUpstream upstream, RedisServerProcess redis,
                                   String prefix) throws Exception {
        return new BundleProcess(Files.createDirectories(work.resolve(name)))
                .env("STORAGE_ENGINE", "redis").env("REDIS_URL", redis.url()).env("REDIS_PREFIX", prefix)
                .env("NCP_KEY_FILE", keyFile.toString())
                .env("NVIDIA_BASE_URL", upstream.baseUrl().toString()).env("NVIDIA_API_KEY", ProxyHarness.UPSTREAM_KEY)
                .start();
    }
}
