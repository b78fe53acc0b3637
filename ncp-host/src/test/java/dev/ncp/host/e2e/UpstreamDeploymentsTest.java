package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import dev.ncp.host.testing.Fixtures;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.RecordedRequest;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.ScriptedUpstream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A model served by two named upstreams (two self-hosted NIM replicas, each with its own key): requests spread over
 * both by weight, each key reaches only its own upstream, and when one replica dies the other answers everything —
 * the client never sees the failure.
 */
@Timeout(120)
class UpstreamDeploymentsTest {

    private static final String MODEL = "acme/coder-large";
    private static final String KEY_A = "nvapi-replica-a-0123456789";
    private static final String KEY_B = "nvapi-replica-b-9876543210";

    private final ScriptedUpstream a = ScriptedUpstream.start().fallback(ResilienceTest.OK);
    private final ScriptedUpstream b = ScriptedUpstream.start().fallback(ResilienceTest.OK);
    private final List<AutoCloseable> open = new ArrayList<>(List.of(a, b));

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private ProxyHarness proxy(String... settings) throws IOException {
        Path models = Files.createTempFile("ncp-upstreams", ".yaml");
        Files.writeString(models, """
                upstreams:
                  nim-a: {base_url: "%s", api_key_env: NIM_A_KEY}
                  nim-b: {base_url: "%s", api_key_env: NIM_B_KEY, weight: 2}
                models:
                  - id: %s
                    upstreams: [nim-a, nim-b]
                """.formatted(a.baseUrl(), b.baseUrl(), MODEL));
        var env = new java.util.HashMap<>(Map.of("NCP_MODELS_FILE", models.toString(), "NIM_A_KEY", KEY_A,
                "NIM_B_KEY", KEY_B, "NCP_RETRY_BACKOFF_MS", "20"));
        for (int i = 0; i < settings.length; i += 2) {
            env.put(settings[i], settings[i + 1]);
        }
        ProxyHarness h = ProxyHarness.start(env);
        open.add(0, h);
        return h;
    }

    private static Message ask(ProxyHarness h) {
        return h.client().messages().create(MessageCreateParams.builder().model(MODEL).maxTokens(256)
                .addUserMessage("Hi").build());
    }

    @Test
    void requestsSpreadByWeightEachKeyGoesOnlyToItsUpstreamAndADeadReplicaIsNeverSeen() throws Exception {
        ProxyHarness h = proxy();
        for (int i = 0; i < 20; i++) {
            assertEquals(ResilienceTest.ANSWER, ResilienceTest.text(ask(h)));
        }
        int toA = a.requests().size();
        int toB = b.requests().size();
        assertEquals(20, toA + toB);
        assertTrue(toA >= 4 && toB >= 4, "each replica gets at least a fifth: a=" + toA + " b=" + toB);
        assertTrue(toB > toA, "weight 2 gets more than weight 1: a=" + toA + " b=" + toB);
        assertTrue(h.upstream().requests().isEmpty(), "the default upstream serves no deployed model");
        a.requests().forEach(r -> assertEquals("Bearer " + KEY_A, r.header("authorization")));
        b.requests().forEach(r -> assertEquals("Bearer " + KEY_B, r.header("authorization")));

        a.close(); // replica a dies: its port refuses connections from now on
        for (int i = 0; i < 20; i++) {
            assertEquals(ResilienceTest.ANSWER, ResilienceTest.text(ask(h)), "request " + i + " after a died");
        }
        assertEquals(toB + 20, b.requests().size(), "b answered every request after a died");
        for (RecordedRequest r : b.requests()) {
            assertFalse(r.headers().toString().contains(KEY_A), "a's key never reaches b");
        }
        String metrics = Wire.send(h, "GET", "/metrics", Map.of(), null).text();
        assertTrue(metrics.contains("upstream=\"nim-b\""), "metrics name the upstream that answered");
    }

    @Test
    void aModelOnAMessagesApiUpstreamIsPassedThroughWithItsOwnKeyAndTraced() throws Exception {
        ScriptedUpstream messagesApi = ScriptedUpstream.start()
                .fallback(Script.stream(Fixtures.resource("/golden/text-then-tool-call.sse")));
        open.add(messagesApi);
        Path models = Files.createTempFile("ncp-upstreams", ".yaml");
        Files.writeString(models, """
                upstreams:
                  nim-messages: {base_url: "%s", protocol: anthropic, api_key_env: NIM_M_KEY}
                models:
                  - id: nvidia/nemotron-anthropic
                    aliases: [claude-nemo]
                    upstreams: [nim-messages]
                """.formatted(messagesApi.baseUrl()));
        ProxyHarness h = ProxyHarness.start(Map.of("NCP_MODELS_FILE", models.toString(), "NIM_M_KEY", KEY_A));
        open.add(0, h);
        var acc = MessageAccumulator.create();
        try (var stream = h.client().messages().createStreaming(MessageCreateParams.builder().model("claude-nemo")
                .maxTokens(300).addUserMessage("Is it there?").build())) {
            stream.stream().forEach(acc::accumulate);
        }
        assertEquals("Let me check.", acc.message().content().get(0).asText().text());
        RecordedRequest sent = messagesApi.requests().get(0);
        assertEquals("/v1/messages", sent.path());
        assertEquals("Bearer " + KEY_A, sent.header("authorization"));
        assertEquals("nvidia/nemotron-anthropic", sent.json().path("model").asText(), "the alias became the id");
        assertTrue(h.upstream().requests().isEmpty(), "nothing went to the default upstream");
        String metrics = Wire.send(h, "GET", "/metrics", Map.of(), null).text();
        assertTrue(metrics.contains("upstream=\"nim-messages\""), "traced and counted under its upstream");
    }

    @Test
    void theDefaultUpstreamKeepsServingModelsWithoutDeployments() throws Exception {
        ProxyHarness h = proxy();
        h.upstream().fallback(ResilienceTest.OK);
        assertEquals(ResilienceTest.ANSWER, ResilienceTest.text(ResilienceTest.ask(h)));
        assertEquals(1, h.upstream().requests().size());
        assertEquals("Bearer " + ProxyHarness.UPSTREAM_KEY, h.upstream().requests().get(0).header("authorization"));
        assertTrue(a.requests().isEmpty() && b.requests().isEmpty());
    }
}
