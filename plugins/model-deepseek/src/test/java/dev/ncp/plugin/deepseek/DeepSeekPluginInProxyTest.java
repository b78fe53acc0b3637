package dev.ncp.plugin.deepseek;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.core.JsonValue;
import com.anthropic.errors.BadRequestException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.ThinkingConfigEnabled;
import com.anthropic.models.messages.Tool;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.testing.PluginJars;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin loaded from a jar into a whole ncp behind the Anthropic SDK. */
class DeepSeekPluginInProxyTest {

    @TempDir
    Path plugins;

    private ProxyHarness proxy() throws Exception {
        PluginJars.fromClassesOf(DeepSeekAdapter.class, "model-deepseek", plugins);
        return ProxyHarness.start(Map.of("NCP_PLUGINS_DIR", plugins.toString()));
    }

    private static MessageCreateParams.Builder ask(String model) {
        return MessageCreateParams.builder().model(model).maxTokens(4000).addUserMessage("Why is the sky blue?");
    }

    @Test
    void r1WithToolsIsRefusedWithAClear400AndNothingGoesUpstream() throws Exception {
        try (var h = proxy()) {
            var withTools = ask("deepseek-ai/deepseek-r1").addTool(Tool.builder().name("Read").inputSchema(
                    Tool.InputSchema.builder().properties(JsonValue.from(Map.of())).build()).build()).build();
            var e = assertThrows(BadRequestException.class, () -> h.client().messages().create(withTools));
            assertEquals(400, e.statusCode());
            assertTrue(e.getMessage().contains("invalid_request_error"), e.getMessage());
            assertTrue(e.getMessage().contains("deepseek-ai/deepseek-r1 does not support tool calling"),
                    e.getMessage());
            assertEquals(0, h.upstream().requests().size());
        }
    }

    @Test
    void r1ReasoningComesBackAsAThinkingBlockBeforeTheText() throws Exception {
        try (var h = proxy()) {
            h.upstream().enqueue(Script.fixture("reasoning-content-then-text.sse"));
            Message m = h.client().messages().create(ask("deepseek-ai/deepseek-r1").build());
            assertTrue(m.content().get(0).isThinking(), m.toString());
            assertTrue(m.content().get(1).isText(), m.toString());
            JsonNode sent = h.upstream().requests().get(0).json();
            assertEquals(0.6, sent.path("temperature").asDouble());
            assertTrue(!sent.has("chat_template_kwargs") && !sent.has("thinking"), sent.toString());
        }
    }

    @Test
    void v4GetsTheThinkingSwitchFromTheClientsSetting() throws Exception {
        try (var h = proxy()) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            h.client().messages().create(ask("deepseek-ai/deepseek-v4-pro").thinking(
                    ThinkingConfigEnabled.builder().budgetTokens(2000).build()).build());
            h.client().messages().create(ask("deepseek-ai/deepseek-v4-pro").build());
            var sent = h.upstream().requests();
            assertTrue(sent.get(0).json().path("chat_template_kwargs").path("thinking").asBoolean());
            assertEquals(false, sent.get(1).json().path("chat_template_kwargs").path("thinking").asBoolean(true));
        }
    }
}
