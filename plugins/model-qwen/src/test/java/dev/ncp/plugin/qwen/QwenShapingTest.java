package dev.ncp.plugin.qwen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.model.Thinking;
import dev.ncp.api.openai.ChatRequest;
import dev.ncp.host.testing.AnswerHarness;
import dev.ncp.host.testing.Shaping;
import dev.ncp.host.testing.TestRequests;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The exact upstream request each thinking setting produces, per Qwen model. */
class QwenShapingTest {

    private static final QwenAdapter ADAPTER = new QwenAdapter();

    static ModelInfo model(String id) {
        return Shaping.model(ADAPTER, id);
    }

    static Thinking thinking(String mode) {
        return Shaping.thinking(mode, 4096);
    }

    /** The JSON sent upstream for the minimal "Hi" request to {@code modelId} after shaping. */
    static JsonNode shaped(String modelId, Thinking thinking, ChatRequest request) {
        return Shaping.shaped(ADAPTER, modelId, "claude-sonnet-4-5", thinking, request);
    }

    static JsonNode json(String text) throws Exception {
        return AnswerHarness.JSON.readTree(text);
    }

    private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":256,"
            + "\"stream\":true,\"stream_options\":{\"include_usage\":true}";

    @ParameterizedTest(name = "qwen3-235b, thinking {0}")
    @CsvSource({
            "absent,   false, 0.7, 0.8",
            "disabled, false, 0.7, 0.8",
            "enabled,  true,  0.6, 0.95",
            "adaptive, true,  0.6, 0.95"})
    void qwen3SwitchesThinkingInTheChatTemplateWithTheCardsSampling(String mode, boolean on, double temperature,
                                                                    double topP) throws Exception {
        assertEquals(json("{\"model\":\"qwen/qwen3-235b-a22b\"," + HI + ",\"temperature\":" + temperature
                        + ",\"top_p\":" + topP + ",\"top_k\":20,\"chat_template_kwargs\":{\"enable_thinking\":" + on
                        + "}}"),
                shaped("qwen/qwen3-235b-a22b", thinking(mode), TestRequests.streaming()));
    }

    @ParameterizedTest(name = "qwen3-coder, thinking {0}")
    @CsvSource({"absent", "disabled", "enabled", "adaptive"})
    void qwen3CoderNeverGetsAThinkingSwitch(String mode) throws Exception {
        assertEquals(json("{\"model\":\"qwen/qwen3-coder-480b-a35b-instruct\"," + HI
                        + ",\"temperature\":0.7,\"top_p\":0.8,\"top_k\":20}"),
                shaped("qwen/qwen3-coder-480b-a35b-instruct", thinking(mode), TestRequests.streaming()));
    }

    @Test
    void theThinkingOnlyModelGetsThinkingSamplingAndNoSwitch() throws Exception {
        assertEquals(json("{\"model\":\"qwen/qwen3-next-80b-a3b-thinking\"," + HI
                        + ",\"temperature\":0.6,\"top_p\":0.95,\"top_k\":20}"),
                shaped("qwen/qwen3-next-80b-a3b-thinking", Thinking.ABSENT, TestRequests.streaming()));
    }

    @Test
    void samplingTheClientChoseIsKept() {
        JsonNode sent = shaped("qwen/qwen3-235b-a22b", thinking("enabled"),
                TestRequests.streaming().withSampling(1.0, null, 50));
        assertEquals(1.0, sent.path("temperature").asDouble());
        assertEquals(0.95, sent.path("top_p").asDouble());
        assertEquals(50, sent.path("top_k").asInt());
    }

    @Test
    void onlyQwen3CoderAndQwen35GetTheXmlToolCallRecovery() {
        for (ModelInfo m : ADAPTER.models()) {
            var context = new ShapingContext(m, "x", null, Map.of(), List.of());
            boolean xml = m.family().equals("qwen3-coder") || m.family().equals("qwen3.5");
            assertEquals(xml ? 1 : 0, ADAPTER.streamProcessors(context).size(), m.id());
        }
        assertTrue(ADAPTER.supports(ModelInfo.unknown("qwen/qwen3.5-400b")));
    }
}
