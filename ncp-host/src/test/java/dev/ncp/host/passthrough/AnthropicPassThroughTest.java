package dev.ncp.host.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.StopReason;
import dev.ncp.host.testing.Fixtures;
import dev.ncp.host.testing.HttpCalls;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.RecordedRequest;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import com.anthropic.models.messages.MessageCountTokensParams;
import dev.ncp.host.testing.PluginJarBuilder;
import dev.ncp.host.testing.PrometheusText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

/** NCP_UPSTREAM_PROTOCOL=anthropic: a Messages API upstream gets the request untranslated, answers stream back. */
class AnthropicPassThroughTest {

    private static final Map<String, String> PASS_THROUGH = Map.of("NCP_UPSTREAM_PROTOCOL", "anthropic");

    /** A whole (stream: false) Messages API answer, as an Anthropic upstream sends it. */
    private static final String WHOLE_ANSWER = """
            {"id":"msg_01Whole","type":"message","role":"assistant","model":"nvidia/nemotron-anthropic",
             "content":[{"type":"text","text":"Here."}],"stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":12,"output_tokens":3}}""";

    private static MessageCreateParams hello() {
        return MessageCreateParams.builder().model("nvidia/nemotron-anthropic").maxTokens(300)
                .addUserMessage("Is it there?").build();
    }

    @Test
    void aStreamedAnswerArrivesUntouchedAndTheRequestIsForwardedAsSent() {
        try (var h = ProxyHarness.start(PASS_THROUGH)) {
            h.upstream().enqueue(Script.stream(Fixtures.resource("/golden/text-then-tool-call.sse")));
            var acc = MessageAccumulator.create();
            try (var stream = h.client().messages().createStreaming(hello())) {
                stream.stream().forEach(acc::accumulate);
            }
            Message m = acc.message();
            assertEquals("msg_01TestAnswer0000000000", m.id());
            assertEquals(StopReason.TOOL_USE, m.stopReason().orElseThrow());
            assertEquals("Let me check.", m.content().get(0).asText().text());
            assertEquals("Bash", m.content().get(1).asToolUse().name());

            RecordedRequest sent = h.upstream().requests().get(0);
            assertEquals("/v1/messages", sent.path());
            assertEquals("Bearer " + ProxyHarness.UPSTREAM_KEY, sent.header("authorization"));
            assertEquals("nvidia/nemotron-anthropic", sent.json().path("model").asText());
            assertEquals("Is it there?", sent.json().path("messages").path(0).path("content").asText());
            assertTrue(sent.json().path("stream").asBoolean());
            assertTrue(sent.header("anthropic-version") != null, "anthropic-version must be forwarded");
        }
    }

    @Test
    void upstreamErrorsReachTheClientAnthropicShaped() {
        try (var h = ProxyHarness.start(PASS_THROUGH)) {
            h.upstream().enqueue(Script.status(401, Map.of(),
                    "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"bad key\"}}"));
            var e = assertThrows(UnauthorizedException.class, () -> h.client().messages().create(hello()));
            assertEquals(401, e.statusCode());
            assertTrue(e.getMessage().contains("NVIDIA_API_KEY"), e.getMessage());
        }
    }

    @Test
    void withKeyPassthroughTheClientsOwnKeyGoesUpstreamInsteadOfTheOperators() throws Exception {
        String own = "nvapi-users-own-key-abcdefghij0123";
        try (var h = ProxyHarness.start(Map.of("NCP_UPSTREAM_PROTOCOL", "anthropic", "NCP_KEY_PASSTHROUGH", "true",
                "PROXY_API_KEY", "sk-ncp-operator-key-0123456789"))) {
            h.upstream().enqueue(Script.status(200, Map.of("content-type", "application/json"), WHOLE_ANSWER));
            var r = HttpCalls.postMessages(h.baseUrl(), HttpCalls.messagesBody(false, "hi"), Map.of("x-api-key", own));
            assertEquals(200, r.statusCode(), HttpCalls.text(r));
            RecordedRequest sent = h.upstream().requests().getLast();
            assertEquals("Bearer " + own, sent.header("authorization"));
            assertEquals(own, sent.header("x-api-key"));
        }
    }

    @Test
    void theProxyKeyIsStillRequired() {
        var env = new HashMap<>(PASS_THROUGH);
        env.put("PROXY_API_KEY", "sk-ncp-operator-key-0123456789");
        try (var h = ProxyHarness.start(env)) {
            var refused = HttpCalls.postMessages(h.baseUrl(), HttpCalls.messagesBody(false, "hi"), Map.of());
            assertEquals(401, refused.statusCode(), HttpCalls.text(refused));
            assertTrue(HttpCalls.text(refused).contains("authentication_error"));
            assertEquals(0, h.upstream().requests().size());
        }
    }

    @Test
    void theClientRateLimitRefusesTheSecondRequestOfTheMinute() {
        var env = new HashMap<>(PASS_THROUGH);
        env.put("RATE_LIMIT_RPM", "1");
        try (var h = ProxyHarness.start(env)) {
            HttpCalls.awaitRoomInCurrentMinute(Duration.ofSeconds(10));
            h.upstream().enqueue(Script.status(200, Map.of("content-type", "application/json"), WHOLE_ANSWER));
            assertEquals(200, HttpCalls.postMessages(h.baseUrl(), HttpCalls.messagesBody(false, "one"), Map.of())
                    .statusCode());
            var second = HttpCalls.postMessages(h.baseUrl(), HttpCalls.messagesBody(false, "two"), Map.of());
            assertEquals(429, second.statusCode(), HttpCalls.text(second));
            assertTrue(HttpCalls.text(second).contains("rate_limit_error"));
            assertEquals(1, h.upstream().requests().size());
        }
    }

    @Test
    void aWholeAnswerIsForwardedAndMetricsNameTheModelAndCountItsTokens() {
        try (var h = ProxyHarness.start(PASS_THROUGH)) {
            h.upstream().enqueue(Script.status(200, Map.of("content-type", "application/json"), WHOLE_ANSWER));
            Message m = h.client().messages().create(hello());
            assertEquals("msg_01Whole", m.id());
            assertEquals("Here.", m.content().get(0).asText().text());
            assertFalse(h.upstream().requests().getLast().json().path("stream").asBoolean(), "sent as the client did");

            h.upstream().enqueue(Script.stream(Fixtures.resource("/golden/text-then-tool-call.sse")));
            try (var stream = h.client().messages().createStreaming(hello())) {
                stream.stream().forEach(e -> { });
            }
            var metrics = PrometheusText.parse(HttpCalls.text(HttpCalls.get(h.baseUrl(), "/metrics", Map.of())));
            assertEquals(2.0, metrics.sum("ncp_requests_total", "model", "nvidia/nemotron-anthropic",
                    "route", "passthrough", "status", "200"), metrics.toString());
            // 12 + 3 from the whole answer; the stream's message_delta reports 5210 in and 48 out in total
            assertEquals(12.0 + 5210, metrics.sum("ncp_tokens_total", "model", "nvidia/nemotron-anthropic",
                    "direction", "input"), metrics.toString());
            assertEquals(3.0 + 48, metrics.sum("ncp_tokens_total", "model", "nvidia/nemotron-anthropic",
                    "direction", "output"), metrics.toString());
        }
    }

    @Test
    void countTokensIsForwardedToo() {
        try (var h = ProxyHarness.start(PASS_THROUGH)) {
            h.upstream().enqueue(Script.status(200, Map.of("content-type", "application/json"),
                    "{\"input_tokens\":42}"));
            var counted = h.client().messages().countTokens(MessageCountTokensParams.builder()
                    .model("nvidia/nemotron-anthropic").addUserMessage("How many?").build());
            assertEquals(42, counted.inputTokens());
            RecordedRequest sent = h.upstream().requests().getLast();
            assertEquals("/v1/messages/count_tokens", sent.path());
            assertEquals("How many?", sent.json().path("messages").path(0).path("content").asText());
        }
    }

    @Test
    void theLimitsOnJsonDepthToolCountAndModelNamesStillHold() {
        try (var h = ProxyHarness.start(PASS_THROUGH)) {
            String deep = "[".repeat(500) + "]".repeat(500);
            var tooDeep = HttpCalls.postMessages(h.baseUrl(), HttpCalls.messagesBody(false, "hi")
                    .replace("\"stream\"", "\"metadata\":{\"x\":" + deep + "},\"stream\""), Map.of());
            assertEquals(400, tooDeep.statusCode(), HttpCalls.text(tooDeep));
            assertTrue(HttpCalls.text(tooDeep).contains("NCP_MAX_JSON_DEPTH"), HttpCalls.text(tooDeep));
            String tools = "[" + "{\"name\":\"t\",\"input_schema\":{\"type\":\"object\"}},".repeat(1500)
                    + "{\"name\":\"u\",\"input_schema\":{\"type\":\"object\"}}]";
            var tooMany = HttpCalls.postMessages(h.baseUrl(), HttpCalls.messagesBody(false, "hi")
                    .replace("\"stream\"", "\"tools\":" + tools + ",\"stream\""), Map.of());
            assertEquals(400, tooMany.statusCode(), HttpCalls.text(tooMany));
            assertTrue(HttpCalls.text(tooMany).contains("NCP_MAX_TOOLS"), HttpCalls.text(tooMany));
            var pathName = HttpCalls.postMessages(h.baseUrl(), HttpCalls.messagesBody(false, "hi")
                    .replace("claude-opus-4-5", "../../etc/passwd"), Map.of());
            assertEquals(400, pathName.statusCode(), HttpCalls.text(pathName));
            assertTrue(HttpCalls.text(pathName).contains("not a valid model name"), HttpCalls.text(pathName));
            assertEquals(0, h.upstream().requests().size());
        }
    }

    @Test
    void aModelOutsideThePrincipalsAllowListIsRefusedWith403(@TempDir Path plugins) throws Exception {
        new PluginJarBuilder("test-allow", "1.0.0").source("""
                package dev.ncp.testplugin;

                import dev.ncp.api.auth.*;
                import java.util.Set;
                import org.pf4j.Extension;

                @Extension
                public class OneModelAuth implements AuthProvider {
                    public String name() { return "one-model"; }
                    public AuthDecision authenticate(AuthRequest request) {
                        return AuthDecision.accept(new Principal("limited", null, Set.of("nvidia/allowed")));
                    }
                }
                """).build(plugins.resolve("one-model.jar"));
        var env = new HashMap<>(PASS_THROUGH);
        env.put("NCP_PLUGINS_DIR", plugins.toString());
        try (var h = ProxyHarness.start(env)) {
            var refused = HttpCalls.postMessages(h.baseUrl(), HttpCalls.messagesBody(false, "hi")
                    .replace("claude-opus-4-5", "nvidia/forbidden"), Map.of());
            assertEquals(403, refused.statusCode(), HttpCalls.text(refused));
            assertTrue(HttpCalls.text(refused).contains("permission_error"), HttpCalls.text(refused));
            assertTrue(h.upstream().requests().stream()
                    .noneMatch(r -> r.json().path("model").asText().equals("nvidia/forbidden")), "never forwarded");

            h.upstream().enqueue(Script.status(200, Map.of("content-type", "application/json"), WHOLE_ANSWER));
            assertEquals(200, HttpCalls.postMessages(h.baseUrl(), HttpCalls.messagesBody(false, "hi")
                    .replace("claude-opus-4-5", "nvidia/allowed"), Map.of()).statusCode());
        }
    }
}
