package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.core.JsonValue;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A tool call whose upstream id is not Anthropic-shaped (Kimi K2's {@code functions.Read:0}) reaches the client
 * as a valid {@code toolu_} id, and when the client sends the call and its result back, the upstream sees its own
 * id again on both the call and the result — Kimi refuses history whose ids it did not write.
 */
class ToolRoundTripTest {

    private static final String KIMI_ID = "functions.Read:0";

    @ParameterizedTest(name = "streamed={0}")
    @ValueSource(booleans = {false, true})
    void theFollowUpRequestCarriesTheUpstreamsOwnToolCallId(boolean streamed) {
        try (var h = ProxyHarness.start()) {
            h.upstream().enqueue(Script.fixture("kimi-tool-call-id.sse"))
                    .enqueue(Script.fixture("text-stop-usage-last.sse"));
            MessageCreateParams first = base().addUserMessage("Read the README").build();
            Message answer = streamed ? accumulate(h, first) : h.client().messages().create(first);

            ToolUseBlock call = answer.content().get(1).asToolUse();
            assertTrue(call.id().matches("toolu_[0-9A-Za-z]+"), call.id());
            assertEquals("Read", call.name());

            MessageCreateParams followUp = base().addUserMessage("Read the README")
                    .addMessage(answer.toParam())
                    .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                            ToolResultBlockParam.builder().toolUseId(call.id()).content("# ncp").build())))
                    .build();
            Message done = h.client().messages().create(followUp);
            assertEquals("end_turn", done.stopReason().orElseThrow().asString());

            JsonNode messages = h.upstream().requests().get(1).json().path("messages");
            assertEquals(List.of("user", "assistant", "tool"), roles(messages), messages.toString());
            JsonNode assistant = messages.get(1);
            assertEquals("Reading it now.", assistant.path("content").asText());
            assertEquals(1, assistant.path("tool_calls").size());
            JsonNode toolCall = assistant.path("tool_calls").get(0);
            assertEquals(KIMI_ID, toolCall.path("id").asText());
            assertEquals("function", toolCall.path("type").asText());
            assertEquals("Read", toolCall.path("function").path("name").asText());
            assertEquals(Wire.json("{\"file_path\":\"/repo/README.md\"}"),
                    Wire.json(toolCall.path("function").path("arguments").asText()));
            JsonNode result = messages.get(2);
            assertEquals(KIMI_ID, result.path("tool_call_id").asText());
            assertEquals("# ncp", result.path("content").asText());
        }
    }

    private static Message accumulate(ProxyHarness h, MessageCreateParams params) {
        try (var stream = h.client().messages().createStreaming(params)) {
            var accumulator = MessageAccumulator.create();
            stream.stream().forEach(accumulator::accumulate);
            return accumulator.message();
        }
    }

    private static MessageCreateParams.Builder base() {
        return MessageCreateParams.builder().model("claude-opus-5-5").maxTokens(1024)
                .addTool(Tool.builder().name("Read").description("Read a file")
                        .inputSchema(Tool.InputSchema.builder()
                                .properties(Tool.InputSchema.Properties.builder().putAdditionalProperty("file_path",
                                        JsonValue.from(Map.of("type", "string"))).build())
                                .addRequired("file_path").build())
                        .build());
    }

    private static List<String> roles(JsonNode messages) {
        var roles = new java.util.ArrayList<String>();
        messages.forEach(m -> roles.add(m.path("role").asText()));
        return roles;
    }
}
