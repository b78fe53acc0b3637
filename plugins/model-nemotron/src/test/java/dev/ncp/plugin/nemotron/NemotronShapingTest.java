package dev.ncp.plugin.nemotron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.model.Thinking;
import dev.ncp.api.openai.ChatMessage;
import dev.ncp.api.openai.ChatRequest;
import dev.ncp.api.openai.ChatTool;
import dev.ncp.host.testing.AnswerHarness;
import dev.ncp.host.testing.Shaping;
import dev.ncp.host.testing.TestRequests;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The exact upstream request each thinking setting produces, per Nemotron generation. */
class NemotronShapingTest {

    private static final NemotronAdapter ADAPTER = new NemotronAdapter();

    static ModelInfo model(String id) {
        return Shaping.model(ADAPTER, id);
    }

    static Thinking thinking(String mode) {
        return Shaping.thinking(mode, 6000);
    }

    /** "Hi" with a client system prompt, as the host translates it, shaped for {@code modelId}. */
    static JsonNode shaped(String modelId, String mode, ChatRequest base) {
        return Shaping.shaped(ADAPTER, modelId, "claude-sonnet-4-5", thinking(mode),
                base.withLeadingMessage(ChatMessage.system("You are terse.")));
    }

    static JsonNode json(String text) throws Exception {
        return AnswerHarness.JSON.readTree(text);
    }

    private static String expected(String model, String switchMessage, String sampling, String extra) {
        return "{\"model\":\"" + model + "\",\"messages\":["
                + (switchMessage == null ? "" : "{\"role\":\"system\",\"content\":\"" + switchMessage + "\"},")
                + "{\"role\":\"system\",\"content\":\"You are terse.\"},{\"role\":\"user\",\"content\":\"Hi\"}],"
                + "\"max_tokens\":256,\"stream\":true,\"stream_options\":{\"include_usage\":true}," + sampling + extra
                + "}";
    }

    @ParameterizedTest(name = "{0}, thinking {1}")
    @CsvSource(delimiter = '|', value = {
            "nvidia/llama-3.3-nemotron-super-49b-v1   | absent   | detailed thinking off | greedy",
            "nvidia/llama-3.3-nemotron-super-49b-v1   | disabled | detailed thinking off | greedy",
            "nvidia/llama-3.3-nemotron-super-49b-v1   | enabled  | detailed thinking on  | reasoning",
            "nvidia/llama-3.3-nemotron-super-49b-v1   | adaptive | detailed thinking on  | reasoning",
            "nvidia/llama-3.1-nemotron-ultra-253b-v1  | enabled  | detailed thinking on  | reasoning",
            "nvidia/llama-3.1-nemotron-nano-8b-v1     | disabled | detailed thinking off | greedy",
            "nvidia/llama-3.3-nemotron-super-49b-v1.5 | absent   | /no_think             | greedy",
            "nvidia/llama-3.3-nemotron-super-49b-v1.5 | disabled | /no_think             | greedy",
            "nvidia/llama-3.3-nemotron-super-49b-v1.5 | enabled  | /think                | reasoning",
            "nvidia/llama-3.3-nemotron-super-49b-v1.5 | adaptive | /think                | reasoning",
            "nvidia/nvidia-nemotron-nano-9b-v2        | absent   | /no_think             | greedy",
            "nvidia/nvidia-nemotron-nano-9b-v2        | adaptive | /think                | reasoning"})
    void systemMessageSwitchesGoFirstWithTheCardsSampling(String model, String mode, String switchMessage,
                                                          String sampling) throws Exception {
        String fields = sampling.equals("reasoning") ? "\"temperature\":0.6,\"top_p\":0.95" : "\"temperature\":0.0";
        assertEquals(json(expected(model, switchMessage, fields, "")), shaped(model, mode, TestRequests.streaming()));
    }

    @Test
    void nano9bV2TakesTheThinkingBudgetAsNimsNvextField() throws Exception {
        String model = "nvidia/nvidia-nemotron-nano-9b-v2";
        assertEquals(json(expected(model, "/think", "\"temperature\":0.6,\"top_p\":0.95",
                        ",\"nvext\":{\"max_thinking_tokens\":6000}")),
                shaped(model, "enabled", TestRequests.streaming()));
    }

    @ParameterizedTest(name = "nemotron-3-nano, thinking {0}")
    @CsvSource({"absent, false", "disabled, false", "enabled, true", "adaptive, true"})
    void nemotron3SwitchesInTheChatTemplate(String mode, boolean on) throws Exception {
        String model = "nvidia/nemotron-3-nano-30b-a3b";
        String budget = mode.equals("enabled") ? ",\"reasoning_budget\":6000" : "";
        assertEquals(json(expected(model, null, "\"temperature\":1.0,\"top_p\":1.0",
                        ",\"chat_template_kwargs\":{\"enable_thinking\":" + on + "}" + budget)),
                shaped(model, mode, TestRequests.streaming()));
    }

    @Test
    void nemotron3SuperHasNoBudgetAndUsesToolCallingSamplingWhenToolsAreOffered() {
        var tools = List.of(new ChatTool(new ChatTool.Function("Read", null, Map.of("type", "object"))));
        JsonNode sent = shaped("nvidia/nemotron-3-super-120b-a12b", "enabled",
                TestRequests.streaming().withTools(tools, null, null));
        assertEquals(0.6, sent.path("temperature").asDouble());
        assertEquals(0.95, sent.path("top_p").asDouble());
        assertTrue(sent.path("chat_template_kwargs").path("enable_thinking").asBoolean());
        assertFalse(sent.has("max_thinking_tokens") || sent.has("nvext") || sent.has("reasoning_budget"),
                sent.toString());
    }

    @Test
    void samplingTheClientChoseIsKept() {
        JsonNode sent = shaped("nvidia/llama-3.3-nemotron-super-49b-v1.5", "enabled",
                TestRequests.streaming().withSampling(0.2, 0.5, 10));
        assertEquals(0.2, sent.path("temperature").asDouble());
        assertEquals(0.5, sent.path("top_p").asDouble());
        assertEquals(10, sent.path("top_k").asInt());
    }

    @Test
    void anUndescribedNemotronIdIsClaimedButLeftAsItIs() {
        ModelInfo unknown = ModelInfo.unknown("nvidia/nemotron-5-giga");
        assertTrue(ADAPTER.supports(unknown));
        ChatRequest request = TestRequests.streaming().withModel(unknown.id());
        assertEquals(request, ADAPTER.shape(request, new ShapingContext(unknown, "x", thinking("enabled"), Map.of(),
                List.of())));
        assertFalse(ADAPTER.supports(ModelInfo.unknown("meta/llama-3.3-70b-instruct")));
    }
}
