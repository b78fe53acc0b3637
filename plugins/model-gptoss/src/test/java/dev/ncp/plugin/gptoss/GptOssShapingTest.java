package dev.ncp.plugin.gptoss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.model.Thinking;
import dev.ncp.api.openai.ChatMessage;
import dev.ncp.api.openai.ChatMessage.ToolCall;
import dev.ncp.api.openai.ChatRequest;
import dev.ncp.api.openai.ChatTool;
import dev.ncp.api.openai.MessageContent;
import dev.ncp.host.testing.AnswerHarness;
import dev.ncp.host.testing.Shaping;
import dev.ncp.host.testing.TestRequests;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** reasoning_effort from the client's thinking setting, and the exact upstream request. */
class GptOssShapingTest {

    private static final GptOssAdapter ADAPTER = new GptOssAdapter();
    private static final ModelInfo OSS_120B = ADAPTER.models().get(0);

    private static Thinking thinking(String mode, Integer budget, String effort) {
        return new Thinking(Thinking.Mode.valueOf(mode), budget, effort);
    }

    @ParameterizedTest(name = "{0} budget={1} effort={2} -> {3}")
    @CsvSource(nullValues = "-", value = {
            "ENABLED,  1024,  -,      low",
            "ENABLED,  4095,  -,      low",
            "ENABLED,  4096,  -,      medium",
            "ENABLED,  16383, -,      medium",
            "ENABLED,  16384, -,      high",
            "ENABLED,  31999, -,      high",
            "ADAPTIVE, -,     -,      medium",
            "ABSENT,   -,     -,      low",
            "DISABLED, -,     -,      low",
            "ADAPTIVE, -,     max,    high",
            "ENABLED,  30000, low,    low",
            "ABSENT,   -,     medium, medium",
            "DISABLED, -,     high,   high"})
    void theEffortFollowsTheBudgetOrTheClientsEffort(String mode, Integer budget, String effort, String expected) {
        assertEquals(expected, GptOssAdapter.effort(thinking(mode, budget, effort)));
    }

    private static JsonNode shaped(ChatRequest request, Thinking thinking) {
        return Shaping.shaped(ADAPTER, OSS_120B.id(), "claude-opus-4-7", thinking, request);
    }

    @Test
    void theExactRequestCarriesTheEffortAndTheCardsSampling() throws Exception {
        assertEquals(AnswerHarness.JSON.readTree("{\"model\":\"openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"Hi\"}],\"max_tokens\":256,\"temperature\":1.0,\"top_p\":1.0,\"stream\":true,"
                        + "\"stream_options\":{\"include_usage\":true},\"reasoning_effort\":\"medium\"}"),
                shaped(TestRequests.streaming(), thinking("ENABLED", 8000, null)));
    }

    /** A tool loop in history: the assistant's call carries the reasoning the host kept for it. */
    private static ChatRequest toolLoop(boolean withTools) {
        var call = new ToolCall("call_1", new ToolCall.FunctionCall("Read", "{\"file_path\":\"/a\"}"));
        var assistant = new ChatMessage("assistant", null, List.of(call), null, "I should read /a first.");
        var request = TestRequests.streaming().withMessages(List.of(
                ChatMessage.user(new MessageContent.Text("Summarize /a")), assistant,
                ChatMessage.tool("call_1", new MessageContent.Text("contents of a"))));
        return withTools ? request.withTools(List.of(new ChatTool(new ChatTool.Function("Read", null,
                Map.of("type", "object")))), null, null) : request;
    }

    @Test
    void withToolsTheReasoningOfEarlierCallsIsKept() {
        JsonNode sent = shaped(toolLoop(true), Thinking.ABSENT);
        assertEquals("I should read /a first.", sent.path("messages").path(1).path("reasoning_content").asText());
        assertEquals("low", sent.path("reasoning_effort").asText());
    }

    @Test
    void withToolsTheHostsVerifiedPriorReasoningGoesOnItsAssistantMessage() {
        ChatRequest request = toolLoop(true);
        var bare = request.withMessages(request.messages().stream().map(m -> m.withReasoningContent(null)).toList());
        var context = new ShapingContext(OSS_120B, "claude-opus-4-7", Thinking.ABSENT, Map.of(), List.of(),
                Map.of(1, "Reading /a answers the question."));
        JsonNode sent = AnswerHarness.JSON.valueToTree(ADAPTER.shape(bare.withModel(OSS_120B.id()), context));
        assertEquals("Reading /a answers the question.",
                sent.path("messages").path(1).path("reasoning_content").asText(), sent.toString());
        assertFalse(sent.path("messages").path(0).has("reasoning_content"), "only the assistant turn carries it");
    }

    @Test
    void withoutToolsEarlierReasoningIsNotSent() {
        JsonNode sent = shaped(toolLoop(false), Thinking.ABSENT);
        assertFalse(sent.path("messages").path(1).has("reasoning_content"), sent.toString());
        assertEquals("call_1", sent.path("messages").path(1).path("tool_calls").path(0).path("id").asText());
    }
}
