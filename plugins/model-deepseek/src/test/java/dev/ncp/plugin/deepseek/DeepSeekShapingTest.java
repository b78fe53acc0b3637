package dev.ncp.plugin.deepseek;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.model.Thinking;
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

/** The exact upstream request each thinking setting produces, per DeepSeek model. */
class DeepSeekShapingTest {

    private static final DeepSeekAdapter ADAPTER = new DeepSeekAdapter();
    private static final List<ChatTool> TOOLS =
            List.of(new ChatTool(new ChatTool.Function("Read", null, Map.of("type", "object"))));

    static ModelInfo model(String id) {
        return Shaping.model(ADAPTER, id);
    }

    static Thinking thinking(String mode) {
        return Shaping.thinking(mode, 2048);
    }

    static JsonNode shaped(String modelId, String mode, ChatRequest base) {
        return Shaping.shaped(ADAPTER, modelId, "claude-opus-4-7", thinking(mode), base);
    }

    private static JsonNode json(String model, String rest) throws Exception {
        return AnswerHarness.JSON.readTree("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Hi\"}],\"max_tokens\":256,\"stream\":true,\"stream_options\":{\"include_usage\":true}"
                + rest + "}");
    }

    @ParameterizedTest(name = "R1, thinking {0}")
    @CsvSource({"absent", "disabled", "enabled", "adaptive"})
    void r1AlwaysReasonsAtTheCardsTemperatureWithNoSwitch(String mode) throws Exception {
        assertEquals(json("deepseek-ai/deepseek-r1", ",\"temperature\":0.6,\"top_p\":0.95"),
                shaped("deepseek-ai/deepseek-r1", mode, TestRequests.streaming()));
    }

    @Test
    void r1KeepsTheClientsTemperature() {
        assertEquals(0.3, shaped("deepseek-ai/deepseek-r1", "enabled", TestRequests.streaming()
                .withSampling(0.3, null, null)).path("temperature").asDouble());
    }

    @ParameterizedTest(name = "{0}, thinking {1}")
    @CsvSource({
            "deepseek-ai/deepseek-v3.1,          absent,   false",
            "deepseek-ai/deepseek-v3.1,          disabled, false",
            "deepseek-ai/deepseek-v3.1,          enabled,  true",
            "deepseek-ai/deepseek-v3.1-terminus, adaptive, true",
            "deepseek-ai/deepseek-v3.2,          enabled,  true",
            "deepseek-ai/deepseek-v4-pro,        absent,   false",
            "deepseek-ai/deepseek-v4-pro,        adaptive, true",
            "deepseek-ai/deepseek-v4-flash,      enabled,  true"})
    void hybridModelsSwitchThinkingInTheChatTemplate(String model, String mode, boolean on) throws Exception {
        assertEquals(json(model, ",\"chat_template_kwargs\":{\"thinking\":" + on + "}"),
                shaped(model, mode, TestRequests.streaming()));
    }

    @ParameterizedTest(name = "{0} with tools")
    @CsvSource({"deepseek-ai/deepseek-v3.1, false", "deepseek-ai/deepseek-v3.1-terminus, false",
            "deepseek-ai/deepseek-v3.2, true", "deepseek-ai/deepseek-v4-pro, true"})
    void v31CallsToolsOnlyWithoutThinking(String model, boolean on) {
        JsonNode sent = shaped(model, "enabled", TestRequests.streaming().withTools(TOOLS, null, null));
        assertEquals(on, sent.path("chat_template_kwargs").path("thinking").asBoolean());
    }

    @Test
    void theFirstR1HasNoToolCalling() {
        assertEquals(false, model("deepseek-ai/deepseek-r1").capabilities().tools());
        assertEquals(true, model("deepseek-ai/deepseek-r1-0528").capabilities().tools());
    }

    /** DeepSeek's thinking mode wants the reasoning of tool-call turns back; R1 and non-thinking requests do not. */
    @ParameterizedTest(name = "{0} thinking {1}")
    @CsvSource({
            "deepseek-ai/deepseek-v3.2,    enabled,  true",
            "deepseek-ai/deepseek-v4-pro,  adaptive, true",
            "deepseek-ai/deepseek-v4-pro,  disabled, false",
            "deepseek-ai/deepseek-v3.1,    enabled,  false",
            "deepseek-ai/deepseek-r1-0528, enabled,  false"})
    void thinkingWithToolsGetsTheVerifiedReasoningOfTheToolCallTurnBack(String model, String mode, boolean back) {
        JsonNode sent = Shaping.shaped(ADAPTER, model, Shaping.thinking(mode, 2048), TestRequests.toolLoop(),
                Map.of(1, "Reading /a answers it."));
        JsonNode assistant = sent.path("messages").path(1);
        assertEquals("call_1", assistant.path("tool_calls").path(0).path("id").asText(), sent.toString());
        assertEquals(back ? "Reading /a answers it." : null,
                assistant.has("reasoning_content") ? assistant.path("reasoning_content").asText() : null, sent.toString());
    }
}
