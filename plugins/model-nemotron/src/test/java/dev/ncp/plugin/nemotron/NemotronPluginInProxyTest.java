package dev.ncp.plugin.nemotron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.ThinkingConfigEnabled;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.api.model.Thinking;
import dev.ncp.host.sse.ResponseMessage.Text;
import dev.ncp.host.sse.ResponseMessage.ToolUse;
import dev.ncp.host.testing.AdapterAnswers;
import dev.ncp.host.testing.AnswerHarness;
import dev.ncp.host.testing.PluginJars;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.UpstreamSse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin loaded from a jar into a whole ncp behind the Anthropic SDK. */
class NemotronPluginInProxyTest {

    @TempDir
    Path plugins;

    @Test
    void superV15GetsTheSwitchFirstAndItsReasoningComesBackAsThinking() throws Exception {
        PluginJars.fromClassesOf(NemotronAdapter.class, "model-nemotron", plugins);
        try (var h = ProxyHarness.start(Map.of("NCP_PLUGINS_DIR", plugins.toString()))) {
            h.upstream().enqueue(Script.fixture("reasoning-content-then-text.sse"));
            h.upstream().enqueue(Script.fixture("think-tags-in-content.sse"));
            Message on = h.client().messages().create(ask().thinking(
                    ThinkingConfigEnabled.builder().budgetTokens(2000).build()).build());
            Message off = h.client().messages().create(ask().build());

            List<JsonNode> sent = h.upstream().requests().stream().map(r -> r.json()).toList();
            assertEquals("nvidia/llama-3.3-nemotron-super-49b-v1.5", sent.get(0).path("model").asText());
            assertEquals("/think", sent.get(0).path("messages").path(0).path("content").asText());
            assertEquals("Be brief.", sent.get(0).path("messages").path(1).path("content").asText());
            assertEquals(0.6, sent.get(0).path("temperature").asDouble());
            assertEquals("/no_think", sent.get(1).path("messages").path(0).path("content").asText());
            assertEquals(0.0, sent.get(1).path("temperature").asDouble());
            for (JsonNode j : sent) {
                assertFalse(j.has("thinking") || j.has("max_thinking_tokens"), j.toString());
            }
            assertTrue(on.content().get(0).isThinking(), on.toString());
            assertTrue(off.content().get(0).isThinking(), "inline <think> tags become a thinking block: " + off);
        }
    }

    @Test
    void aThinkingBudgetStaysBelowMaxTokensAfterTheHardCapClampsIt() throws Exception {
        PluginJars.fromClassesOf(NemotronAdapter.class, "model-nemotron", plugins);
        try (var h = ProxyHarness.start(Map.of("NCP_PLUGINS_DIR", plugins.toString(),
                "NCP_HARD_MAX_TOKENS", "4000"))) {
            h.upstream().enqueue(Script.fixture("reasoning-content-then-text.sse"));
            h.client().messages().create(MessageCreateParams.builder().model("nvidia/nvidia-nemotron-nano-9b-v2")
                    .maxTokens(16_000).addUserMessage("Why is the sky blue?")
                    .thinking(ThinkingConfigEnabled.builder().budgetTokens(12_000).build()).build());

            JsonNode sent = h.upstream().requests().get(0).json();
            assertEquals(4000, sent.path("max_tokens").asInt(), sent.toString());
            // Below max_tokens, as Anthropic requires, with a quarter of it left for the answer.
            assertEquals(3000, sent.path("nvext").path("max_thinking_tokens").asInt(), sent.toString());
        }
    }

    private static MessageCreateParams.Builder ask() {
        return MessageCreateParams.builder().model("nvidia/llama-3.3-nemotron-super-49b-v1.5").maxTokens(4000)
                .system("Be brief.")
                .addUserMessage("Why is the sky blue?");
    }

    @Test
    void nemotron3ToolCallsWrittenAsXmlAreRecovered() {
        var adapter = new NemotronAdapter();
        var shaping = AdapterAnswers.shaping(NemotronShapingTest.model("nvidia/nemotron-3-nano-30b-a3b"),
                Map.of("Read", Map.of("type", "object", "properties", Map.of("file_path", Map.of("type", "string")))),
                Thinking.ABSENT);
        String content = "Checking.\n<tool_call>\n<function=Read>\n<parameter=file_path>\n/etc/hosts\n</parameter>\n"
                + "</function>\n</tool_call>\n";
        var outcome = AdapterAnswers.aggregate(adapter, shaping,
                UpstreamSse.content("nvidia/nemotron-3-nano-30b-a3b", UpstreamSse.pieces(content, 3), "stop"));
        var blocks = outcome.message().content();
        assertEquals(new Text("Checking."), blocks.get(0));
        assertEquals("Read", ((ToolUse) blocks.get(1)).name());
        assertEquals("/etc/hosts", ((ToolUse) blocks.get(1)).input().path("file_path").asText());
        assertEquals(dev.ncp.api.stream.StopReason.TOOL_USE, outcome.message().stopReason());
        assertEquals(2, blocks.size(), AnswerHarness.JSON.valueToTree(blocks).toString());
    }
}
