package dev.ncp.host.limits;

import static dev.ncp.host.testing.HttpCalls.get;
import static dev.ncp.host.testing.HttpCalls.header;
import static dev.ncp.host.testing.HttpCalls.messagesBody;
import static dev.ncp.host.testing.HttpCalls.postMessages;
import static dev.ncp.host.testing.HttpCalls.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.host.idempotency.IdempotencyKey;
import dev.ncp.host.idempotency.IdempotentMessages;
import dev.ncp.host.sessions.SessionIds;
import dev.ncp.host.testing.HttpCalls;
import dev.ncp.host.testing.PrometheusText;
import dev.ncp.host.testing.PluginJarBuilder;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Features that belong to a principal, with principals from a real auth plugin (compiled into a jar and loaded by
 * PF4J): each user's own requests-per-minute limit, idempotency keys and sessions that never cross users.
 */
class PerPrincipalFeaturesTest {

    @TempDir
    static Path plugins;

    /**
     * {@code x-test-user: <name>} is that user; {@code x-test-rpm: <n>} gives them their own limit;
     * {@code x-test-operator} makes them an operator (who may read {@code /metrics}).
     */
    @BeforeAll
    static void buildAuthPlugin() throws Exception {
        new PluginJarBuilder("test-users", "1.0.0").source("""
                package dev.ncp.testplugin;

                import dev.ncp.api.auth.*;
                import java.util.Set;
                import org.pf4j.Extension;

                @Extension
                public class UserHeaderAuth implements AuthProvider {
                    public String name() { return "test-users"; }
                    public AuthDecision authenticate(AuthRequest request) {
                        Integer rpm = request.header("x-test-rpm").map(Integer::valueOf).orElse(null);
                        return request.header("x-test-user")
                                .<AuthDecision>map(user -> AuthDecision.accept(new Principal(user, rpm, Set.of(),
                                        request.header("x-test-operator").isPresent())))
                                .orElse(AuthDecision.reject("say who you are in x-test-user"));
                    }
                }
                """).build(Files.createDirectories(plugins.resolve("dir")).resolve("test-users.jar"));
    }

    private static ProxyHarness start(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("NCP_PLUGINS_DIR", plugins.resolve("dir").toString());
        return ProxyHarness.start(all);
    }

    private static Map<String, String> as(String user, String... more) {
        Map<String, String> headers = new HashMap<>(Map.of("x-test-user", user));
        for (int i = 0; i < more.length; i += 2) {
            headers.put(more[i], more[i + 1]);
        }
        return headers;
    }

    @Test
    void aPrincipalsOwnLimitRefusesItsThirdRequestWhileOthersGoOn() {
        try (var h = start(Map.of())) {
            for (int i = 0; i < 4; i++) {
                h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            }
            HttpCalls.awaitRoomInCurrentMinute(Duration.ofSeconds(10));
            Map<String, String> alice = as("alice", "x-test-rpm", "2");
            assertEquals(200, postMessages(h.baseUrl(), messagesBody(false, "Hi"), alice).statusCode());
            HttpResponse<byte[]> second = postMessages(h.baseUrl(), messagesBody(false, "Hi"), alice);
            assertEquals(200, second.statusCode(), text(second));
            assertEquals("2", header(second, "anthropic-ratelimit-requests-limit"));
            assertEquals("0", header(second, "anthropic-ratelimit-requests-remaining"));
            HttpResponse<byte[]> third = postMessages(h.baseUrl(), messagesBody(false, "Hi"), alice);
            assertEquals(429, third.statusCode(), text(third));
            assertTrue(text(third).contains("2 requests per minute for alice"), text(third));
            assertTrue(Long.parseLong(header(third, "retry-after")) >= 1);

            HttpResponse<byte[]> bob = postMessages(h.baseUrl(), messagesBody(false, "Hi"), as("bob", "x-test-rpm", "2"));
            assertEquals(200, bob.statusCode(), "bob has his own window: " + text(bob));
            assertEquals("1", header(bob, "anthropic-ratelimit-requests-remaining"));
            HttpResponse<byte[]> carol = postMessages(h.baseUrl(), messagesBody(false, "Hi"), as("carol"));
            assertEquals(200, carol.statusCode());
            assertNull(header(carol, "anthropic-ratelimit-requests-limit"), "no limit applies to carol");
            assertEquals(4, h.upstream().requests().size());
            PrometheusText metrics = PrometheusText.parse(text(HttpCalls.get(h.baseUrl(), "/metrics",
                    as("carol", "x-test-operator", "yes"))));
            assertEquals(1, metrics.sum("ncp_rate_limit_rejections_total", "scope", "principal"));
            assertEquals(0, metrics.sum("ncp_rate_limit_rejections_total", "scope", "global"));
        }
    }

    @Test
    void theTighterOfTheGlobalAndThePrincipalLimitIsReported() {
        try (var h = start(Map.of("RATE_LIMIT_RPM", "10"))) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            HttpCalls.awaitRoomInCurrentMinute(Duration.ofSeconds(10));
            HttpResponse<byte[]> r = postMessages(h.baseUrl(), messagesBody(false, "Hi"), as("dave", "x-test-rpm", "3"));
            assertEquals(200, r.statusCode(), text(r));
            assertEquals("3", header(r, "anthropic-ratelimit-requests-limit"));
            assertEquals("2", header(r, "anthropic-ratelimit-requests-remaining"));
        }
    }

    @Test
    void twoUsersWithTheSameIdempotencyKeyNeverShareAnAnswer() {
        try (var h = start(Map.of())) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            h.upstream().enqueue(Script.fixture("text-then-tool-call.sse"));
            String body = messagesBody(false, "Hi");
            HttpResponse<byte[]> alice = postMessages(h.baseUrl(), body, as("alice", IdempotencyKey.HEADER, "shared"));
            HttpResponse<byte[]> bob = postMessages(h.baseUrl(), body, as("bob", IdempotencyKey.HEADER, "shared"));
            HttpResponse<byte[]> aliceAgain = postMessages(h.baseUrl(), body, as("alice", IdempotencyKey.HEADER, "shared"));

            assertEquals(2, h.upstream().requests().size(), "bob's request ran on its own");
            assertNull(header(bob, IdempotentMessages.REPLAY_HEADER));
            assertTrue(text(bob).contains("tool_use"), text(bob));
            assertEquals("true", header(aliceAgain, IdempotentMessages.REPLAY_HEADER));
            assertEquals(text(alice), text(aliceAgain));
        }
    }

    @Test
    void aUserSeesOnlyTheirOwnSessions() {
        try (var h = start(Map.of())) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            postMessages(h.baseUrl(), messagesBody(false, "Hi"), as("alice", SessionIds.HEADER, "alice-session"));
            assertEquals(200, get(h.baseUrl(), "/v1/ncp/sessions/alice-session", as("alice")).statusCode());
            assertEquals(404, get(h.baseUrl(), "/v1/ncp/sessions/alice-session", as("bob")).statusCode());
            assertEquals("{\"data\":[],\"has_more\":false}", text(get(h.baseUrl(), "/v1/ncp/sessions", as("bob"))));
        }
    }

    @Test
    void anOverlongIdempotencyKeyIsA400RatherThanSilentlyIgnored() {
        try (var h = start(Map.of())) {
            HttpResponse<byte[]> r = postMessages(h.baseUrl(), messagesBody(false, "Hi"),
                    as("alice", IdempotencyKey.HEADER, "k".repeat(256)));
            assertEquals(400, r.statusCode());
            assertTrue(text(r).contains("1 to 255 characters"), text(r));
            assertEquals(0, h.upstream().requests().size());
        }
    }
}
