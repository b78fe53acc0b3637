package dev.ncp.plugin.gptoss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.ThinkingConfigDisabled;
import com.anthropic.models.messages.ThinkingConfigEnabled;
import dev.ncp.host.testing.PluginJars;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin loaded from a jar into a whole ncp behind the Anthropic SDK. */
class GptOssPluginInProxyTest {

    @TempDir
    Path plugins;

    @Test
    void theClientsThinkingBecomesReasoningEffortUpstream() throws Exception {
        PluginJars.fromClassesOf(GptOssAdapter.class, "model-gptoss", plugins);
        try (var h = ProxyHarness.start(Map.of("NCP_PLUGINS_DIR", plugins.toString()))) {
            for (int i = 0; i < 3; i++) {
                h.upstream().enqueue(Script.fixture("reasoning-content-then-text.sse"));
            }
            var ask = MessageCreateParams.builder().model("openai/gpt-oss-20b").maxTokens(32_000)
                    .addUserMessage("Plan the refactoring.");
            h.client().messages().create(ask.thinking(ThinkingConfigEnabled.builder().budgetTokens(20_000).build())
                    .build());
            h.client().messages().create(ask.thinking(ThinkingConfigEnabled.builder().budgetTokens(2_000).build())
                    .build());
            h.client().messages().create(ask.thinking(ThinkingConfigDisabled.builder().build()).build());
            var sent = h.upstream().requests().stream().map(r -> r.json()).toList();
            assertEquals(List.of("high", "low", "low"),
                    sent.stream().map(j -> j.path("reasoning_effort").asText()).toList());
            sent.forEach(j -> assertFalse(j.has("thinking"), j.toString()));
        }
    }
}
