package dev.ncp.plugin.qwen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.core.JsonValue;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.ThinkingConfigDisabled;
import com.anthropic.models.messages.ThinkingConfigEnabled;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceTool;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.testing.AnswerHarness;
import dev.ncp.host.testing.CapturedOutput;
import dev.ncp.host.testing.Fixtures;
import dev.ncp.host.testing.PluginJars;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.UpstreamSse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin loaded from a jar into a whole ncp, a scripted NIM behind it and the official Anthropic SDK in front:
 * what a Claude Code user gets.
 */
class QwenPluginInProxyTest {

    private static final String CODER = "qwen/qwen3-coder-480b-a35b-instruct";

    @TempDir
    Path plugins;

    private ProxyHarness proxy() throws Exception {
        PluginJars.fromClassesOf(QwenAdapter.class, "model-qwen", plugins);
        return ProxyHarness.start(Map.of("NCP_PLUGINS_DIR", plugins.toString()));
    }

    private static Tool tool(String name, Map<String, Object> properties) {
        return Tool.builder().name(name).inputSchema(Tool.InputSchema.builder()
                .properties(JsonValue.from(properties)).build()).build();
    }

    private static final Tool WRITE = tool("Write", Map.of("file_path", Map.of("type", "string"),
            "content", Map.of("type", "string")));

    private static MessageCreateParams.Builder ask(String model) {
        return MessageCreateParams.builder().model(model).maxTokens(2048).addUserMessage("Create /tmp/hello.txt");
    }

    @Test
    void aStreamingSdkClientGetsTheXmlCallAsAToolUse() throws Exception {
        try (var h = proxy()) {
            h.upstream().enqueue(Script.fixture("qwen3-coder-xml-tool-call-in-text.sse")
                    .chunked(5, java.time.Duration.ZERO));
            var acc = MessageAccumulator.create();
            try (var stream = h.client().messages().createStreaming(ask(CODER).addTool(WRITE).build())) {
                stream.stream().forEach(acc::accumulate);
            }
            assertWriteCall(acc.message());
        }
    }

    @Test
    void aNonStreamingSdkClientGetsTheSameMessage() throws Exception {
        try (var h = proxy()) {
            h.upstream().enqueue(Script.fixture("qwen3-coder-xml-tool-call-in-text.sse"));
            assertWriteCall(h.client().messages().create(ask(CODER).addTool(WRITE).build()));
        }
    }

    private static void assertWriteCall(Message m) {
        assertEquals(StopReason.TOOL_USE, m.stopReason().orElseThrow());
        assertEquals(2, m.content().size(), m.toString());
        assertEquals("I'll create the file.", m.content().get(0).asText().text());
        var call = m.content().get(1).asToolUse();
        assertEquals("Write", call.name());
        assertTrue(call.id().startsWith("toolu_"), call.id());
        assertEquals(json("{\"file_path\":\"/tmp/hello.txt\",\"content\":\"hello world\"}"),
                AnswerHarness.JSON.valueToTree(call._input()));
    }

    @Test
    void aRecoveredCallToAToolWhoseNameWasSanitizedCarriesTheClientsName() throws Exception {
        // Anthropic allows 128 characters, OpenAI-compatible upstreams 64: the host shortens the name reversibly
        String clientName = "mcp__filesystem_server__write_file_with_a_very_long_descriptive_name_v2";
        String upstreamName = new dev.ncp.host.translate.ToolNameSanitizer().sanitize(clientName);
        assertFalse(upstreamName.equals(clientName));
        try (var h = proxy()) {
            String content = "<tool_call>\n<function=" + upstreamName + ">\n<parameter=path>\n/a\n</parameter>\n"
                    + "</function>\n</tool_call>";
            h.upstream().enqueue(Script.stream(UpstreamSse.content(CODER, UpstreamSse.pieces(content, 4), "stop")));
            Message m = h.client().messages().create(ask(CODER)
                    .addTool(tool(clientName, Map.of("path", Map.of("type", "string")))).build());
            JsonNode sent = h.upstream().requests().get(0).json();
            assertEquals(upstreamName, sent.path("tools").path(0).path("function").path("name").asText());
            assertEquals(clientName, m.content().get(0).asToolUse().name());
            assertEquals(StopReason.TOOL_USE, m.stopReason().orElseThrow());
        }
    }

    @Test
    void thinkingOnAndOffReachQwen3AsTheChatTemplateSwitch() throws Exception {
        try (var h = proxy()) {
            String qwen3 = "qwen/qwen3-235b-a22b";
            for (int i = 0; i < 3; i++) {
                h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            }
            h.client().messages().create(ask(qwen3).build());
            h.client().messages().create(ask(qwen3).thinking(ThinkingConfigEnabled.builder().budgetTokens(1024).build())
                    .build());
            h.client().messages().create(ask(qwen3).thinking(ThinkingConfigDisabled.builder().build()).build());
            List<JsonNode> sent = h.upstream().requests().stream().map(r -> r.json()).toList();
            assertEquals(List.of(false, true, false), sent.stream()
                    .map(j -> j.path("chat_template_kwargs").path("enable_thinking").asBoolean()).toList());
            assertEquals(List.of(0.7, 0.6, 0.7), sent.stream().map(j -> j.path("temperature").asDouble()).toList());
            for (JsonNode j : sent) {
                assertFalse(j.has("thinking"), "Anthropic's thinking is never forwarded raw: " + j);
                assertEquals(qwen3, j.path("model").asText());
            }
        }
    }

    @Test
    void aForcedToolChoiceReachesQwen35AsAutoWithASystemHintAndIsLogged() throws Exception {
        String qwen35 = "qwen/qwen3.5-122b-a10b";
        try (var out = new CapturedOutput(); var h = proxy()) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            h.client().messages().create(ask(qwen35).addTool(WRITE)
                    .toolChoice(ToolChoiceTool.builder().name("Write").build()).build());
            h.client().messages().create(ask(CODER).addTool(WRITE)
                    .toolChoice(ToolChoiceTool.builder().name("Write").build()).build());
            JsonNode degraded = h.upstream().requests().get(0).json();
            assertEquals("auto", degraded.path("tool_choice").asText());
            JsonNode system = degraded.path("messages").path(0);
            assertEquals("system", system.path("role").asText());
            assertTrue(system.path("content").asText().endsWith("You must call the tool Write in your next response."),
                    system.toString());
            JsonNode forced = h.upstream().requests().get(1).json();
            assertEquals("Write", forced.path("tool_choice").path("function").path("name").asText(),
                    "a model that takes a forced choice gets it: " + forced);
            List<String> lines = out.text().lines().filter(l -> l.contains("rejects a forced tool choice")).toList();
            assertEquals(List.of("tool_choice tool: " + qwen35 + " rejects a forced tool choice;"
                    + " sending auto with a system hint"), lines.stream()
                    .map(l -> l.substring(l.indexOf("tool_choice "))).toList(), out.text());
        }
    }

    private static JsonNode json(String text) {
        try {
            return AnswerHarness.JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
