package dev.ncp.plugin.keyfile;

import static dev.ncp.host.testing.HttpCalls.get;
import static dev.ncp.host.testing.HttpCalls.messagesBody;
import static dev.ncp.host.testing.HttpCalls.postMessages;
import static dev.ncp.host.testing.HttpCalls.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.testing.PluginJars;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.VisualizationClient;
import dev.ncp.keyfile.KeyFile;
import dev.ncp.keyfile.KeyHashing;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ncp as a shared service: two key-file keys (alice, bob) and an operator key (ops, {@code ncp keys add --operator})
 * beside {@code PROXY_API_KEY}. Each key watches only its own requests and sessions; what sums up everyone's
 * traffic ({@code /metrics}, the bus counters, {@code /health}'s details) is the operators'.
 */
class PrincipalIsolationTest {

    private static final KeyHashing KEYS = new KeyHashing(new SecureRandom());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PROXY_KEY = "sk-isolation-proxy-key";

    @TempDir
    Path dir;

    private String alice;
    private String bob;
    private String ops;

    @BeforeEach
    void issueKeys() throws Exception {
        var a = KEYS.issue("alice", null, List.of(), null, Instant.now());
        var b = KEYS.issue("bob", null, List.of(), null, Instant.now());
        var o = KEYS.issue("ops", null, List.of(), null, Instant.now(), true);
        KeyFile.empty().with(a.entry()).with(b.entry()).with(o.entry()).write(dir.resolve("keys.json"));
        alice = a.key();
        bob = b.key();
        ops = o.key();
    }

    private ProxyHarness proxy() throws Exception {
        Path plugins = dir.resolve("plugins");
        PluginJars.fromClassesOf(KeyFileAuthProvider.class, "auth-keyfile", plugins);
        return ProxyHarness.start(Map.of("NCP_PLUGINS_DIR", plugins.toString(),
                "NCP_KEY_FILE", dir.resolve("keys.json").toString(), "PROXY_API_KEY", PROXY_KEY));
    }

    /** One answered request as {@code key}, with its session header; returns its request id. */
    private static String ask(ProxyHarness h, String key, String session) {
        h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
        var reply = postMessages(h.baseUrl(), messagesBody(true, "hi"),
                Map.of("x-api-key", key, "X-Claude-Code-Session-Id", session));
        assertEquals(200, reply.statusCode(), text(reply));
        return reply.headers().firstValue("request-id").orElseThrow();
    }

    private static Set<String> requestIds(List<JsonNode> messages) {
        return messages.stream().filter(m -> !m.path("type").asText().equals("status"))
                .map(m -> m.path("request_id").asText()).collect(Collectors.toSet());
    }

    @Test
    void aKeysWebsocketCarriesOnlyItsOwnRequestsWhileOperatorsSeeEveryones() throws Exception {
        try (var h = proxy();
             var aliceWatch = VisualizationClient.connect(h.baseUrl(), alice);
             var opsWatch = VisualizationClient.connect(h.baseUrl(), ops);
             var proxyKeyWatch = VisualizationClient.connect(h.baseUrl(), PROXY_KEY)) {
            String a1 = ask(h, alice, "alice-session");
            String b1 = ask(h, bob, "bob-session");
            String a2 = ask(h, alice, "alice-session");

            // The bus is in order: had any of bob's events reached alice, they would come before a2's finish.
            List<JsonNode> seenByAlice = aliceWatch.requestUntilFinishKeepingAll(a2, WAIT);
            assertEquals(Set.of(a1, a2), requestIds(seenByAlice), "alice sees her own requests only");
            assertEquals("key:alice", seenByAlice.stream().filter(m -> m.path("type").asText().equals("received"))
                    .findFirst().orElseThrow().path("principal").asText());
            JsonNode aliceStatus = seenByAlice.getFirst();
            assertEquals("status", aliceStatus.path("type").asText(), "a status on connect");
            assertEquals("own", aliceStatus.path("scope").asText());
            assertTrue(aliceStatus.path("visualization").isMissingNode(), "no bus counters: " + aliceStatus);
            assertTrue(aliceStatus.path("breakers").isMissingNode(), "no breakers: " + aliceStatus);
            assertFalse(seenByAlice.toString().contains("key:bob"), seenByAlice.toString());

            for (var operator : List.of(opsWatch, proxyKeyWatch)) {
                List<JsonNode> seen = operator.requestUntilFinishKeepingAll(a2, WAIT);
                assertEquals(Set.of(a1, b1, a2), requestIds(seen), "an operator sees every key's requests");
                JsonNode status = seen.getFirst();
                assertEquals("all", status.path("scope").asText(), status.toString());
                assertTrue(status.path("visualization").has("published"), status.toString());
            }

            // A subscriber that connects later is replayed only its own part of the recent history.
            try (var bobWatch = VisualizationClient.connect(h.baseUrl(), bob)) {
                String b2 = ask(h, bob, "bob-session");
                assertEquals(Set.of(b1, b2), requestIds(bobWatch.requestUntilFinishKeepingAll(b2, WAIT)));
            }
        }
    }

    @Test
    void metricsTheBusCountersAndHealthDetailsNeedAnOperatorKey() throws Exception {
        try (var h = proxy()) {
            for (String path : List.of("/metrics", "/v1/stream/visualization")) {
                HttpResponse<byte[]> refused = get(h.baseUrl(), path, Map.of("x-api-key", alice));
                assertEquals(403, refused.statusCode(), path);
                JsonNode error = JSON.readTree(text(refused));
                assertEquals("error", error.path("type").asText());
                assertEquals("permission_error", error.path("error").path("type").asText());
                assertTrue(error.path("error").path("message").asText().contains("operator key"), text(refused));
                assertTrue(refused.headers().firstValue("request-id").isPresent(), path);
                assertFalse(text(refused).contains(alice), "a key is never echoed");

                assertEquals(200, get(h.baseUrl(), path, Map.of("x-api-key", ops)).statusCode(), path);
                assertEquals(200, get(h.baseUrl(), path, Map.of("x-api-key", PROXY_KEY)).statusCode(), path);
            }

            JsonNode brief = JSON.readTree(text(get(h.baseUrl(), "/health", Map.of("x-api-key", alice))));
            assertEquals(List.of("status", "uptime_seconds", "version"), sortedFields(brief));
            assertEquals("ok", brief.path("status").asText());
            JsonNode full = JSON.readTree(text(get(h.baseUrl(), "/health", Map.of("x-api-key", ops))));
            assertEquals("key-file", full.path("auth").get(0).asText(), full.toString());
            assertTrue(full.has("storage") && full.has("plugins"), full.toString());
        }
    }

    @Test
    void eachKeyListsOnlyItsOwnSessions() throws Exception {
        try (var h = proxy()) {
            ask(h, alice, "alice-session");
            ask(h, bob, "bob-session");

            JsonNode aliceList = JSON.readTree(text(get(h.baseUrl(), "/v1/ncp/sessions", Map.of("x-api-key", alice))));
            assertEquals(1, aliceList.path("data").size(), aliceList.toString());
            assertTrue(aliceList.toString().contains("alice-session") && !aliceList.toString().contains("bob-session"),
                    aliceList.toString());
            assertEquals(404, get(h.baseUrl(), "/v1/ncp/sessions/bob-session", Map.of("x-api-key", alice))
                    .statusCode());
            assertEquals(200, get(h.baseUrl(), "/v1/ncp/sessions/bob-session", Map.of("x-api-key", bob))
                    .statusCode());
        }
    }

    private static List<String> sortedFields(JsonNode node) {
        var names = new java.util.ArrayList<String>();
        node.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        return names;
    }
}
