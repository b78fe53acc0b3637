package dev.ncp.plugin.kimi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.api.model.Thinking;
import dev.ncp.api.openai.ChatRequest;
import dev.ncp.host.testing.AnswerHarness;
import dev.ncp.host.testing.Shaping;
import dev.ncp.host.testing.TestRequests;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The exact upstream request per Kimi model: no thinking switch, the card's temperature unless the client set one. */
class KimiShapingTest {

    private static final KimiAdapter ADAPTER = new KimiAdapter();

    private static JsonNode shaped(String id, Thinking thinking, ChatRequest base) {
        return Shaping.shaped(ADAPTER, id, "claude-opus-4-7", thinking, base);
    }

    @ParameterizedTest(name = "{0}, thinking {1}")
    @CsvSource({
            "moonshotai/kimi-k2-instruct,      ABSENT,   0.6",
            "moonshotai/kimi-k2-instruct,      ENABLED,  0.6",
            "moonshotai/kimi-k2-instruct-0905, DISABLED, 0.6",
            "moonshotai/kimi-k2-thinking,      ABSENT,   1.0",
            "moonshotai/kimi-k2-thinking,      ADAPTIVE, 1.0"})
    void onlyTheCardsTemperatureIsAdded(String id, Thinking.Mode mode, double temperature) throws Exception {
        Thinking thinking = new Thinking(mode, mode == Thinking.Mode.ENABLED ? 2048 : null, null);
        assertEquals(AnswerHarness.JSON.readTree("{\"model\":\"" + id + "\",\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"Hi\"}],\"max_tokens\":256,\"temperature\":" + temperature + ",\"stream\":true,"
                        + "\"stream_options\":{\"include_usage\":true}}"),
                shaped(id, thinking, TestRequests.streaming()));
        assertEquals(0.2, shaped(id, thinking, TestRequests.streaming().withSampling(0.2, null, null))
                .path("temperature").asDouble());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"moonshotai/kimi-k2-thinking, true", "moonshotai/kimi-k2-instruct-0905, false"})
    void k2ThinkingGetsItsVerifiedReasoningBackOnTheToolCallTurn(String id, boolean wantsIt) {
        JsonNode sent = Shaping.shaped(ADAPTER, id, Thinking.ABSENT, TestRequests.toolLoop(),
                java.util.Map.of(1, "Reading /a answers it."));
        JsonNode assistant = sent.path("messages").path(1);
        assertEquals("call_1", assistant.path("tool_calls").path(0).path("id").asText(), sent.toString());
        assertEquals(wantsIt ? "Reading /a answers it." : null,
                assistant.has("reasoning_content") ? assistant.path("reasoning_content").asText() : null);
        assertEquals(false, sent.path("messages").path(0).has("reasoning_content"));
    }
}
