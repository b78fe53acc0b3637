package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.core.JsonValue;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code R2_STREAM_VISUALIZATION=true} adds {@code event: ncp_visualization} frames to SSE streams. They sit
 * between message_start and message_stop, carry the request's lifecycle as compact JSON, and the official Anthropic
 * Java SDK — streaming and accumulating with {@link MessageAccumulator} — builds the same message as without them.
 */
class VisualizationSideChannelTest {

    private static final String STREAM_BODY = """
            {"model":"claude-opus-4-7","max_tokens":512,"stream":true,
             "tools":[{"name":"Bash","description":"Run a command","input_schema":{"type":"object",
               "properties":{"command":{"type":"string"}}}}],
             "messages":[{"role":"user","content":"List /tmp"}]}""";

    @Test
    void sideChannelFramesTellTheRequestsLifecycleBetweenMessageStartAndMessageStop() {
        try (var h = ProxyHarness.start(Map.of("R2_STREAM_VISUALIZATION", "true"))) {
            h.upstream().enqueue(Script.fixture("text-then-tool-call.sse"));
            Wire.Reply reply = Wire.post(h, "/v1/messages", STREAM_BODY);
            assertEquals(200, reply.status(), reply.text());
            SseEvents sse = SseEvents.parse(reply.body());

            List<String> names = sse.names();
            assertEquals("message_start", names.get(0));
            assertEquals("message_stop", names.get(names.size() - 1));
            assertEquals("ncp_visualization", names.get(names.size() - 2), "finish comes just before message_stop");
            List<JsonNode> side = sse.events().stream().filter(e -> e.event().equals("ncp_visualization"))
                    .map(SseEvents.Event::data).toList();
            assertEquals(List.of("received", "routed", "upstream_first_byte", "first_token", "block_start",
                    "block_stop", "tool_call", "block_stop", "usage", "finish"), types(side));
            sse.events().stream().filter(e -> e.event().equals("ncp_visualization"))
                    .forEach(e -> assertEquals(null, e.id(), "side-channel frames carry no id"));

            String requestId = reply.header("request-id");
            side.forEach(e -> assertEquals(requestId, e.path("request_id").asText()));
            JsonNode routed = side.get(1);
            assertEquals("claude-opus-4-7", routed.path("requested").asText());
            assertEquals(reply.header("x-ncp-model"), routed.path("model").asText());
            assertEquals("lifecycle", routed.path("lane").asText());
            JsonNode tool = side.get(6);
            assertEquals("Bash", tool.path("name").asText());
            assertEquals("tools", tool.path("lane").asText());
            JsonNode finish = side.get(side.size() - 1);
            assertEquals("ok", finish.path("outcome").asText());
            assertEquals("tool_use", finish.path("stop_reason").asText());
            assertEquals(5210, finish.path("input_tokens").asInt());
            assertEquals(48, finish.path("output_tokens").asInt());
            assertTrue(finish.path("ttft_ms").isNumber() && finish.path("duration_ms").isNumber(), finish.toString());
        }
    }

    @Test
    void theAnthropicJavaSdkStreamsAndAccumulatesTheSameMessageWithTheSideChannelOn() throws Exception {
        Message without;
        try (var h = ProxyHarness.start()) {
            h.upstream().enqueue(Script.fixture("text-then-tool-call.sse"));
            without = accumulate(h, new ArrayList<>());
        }
        try (var h = ProxyHarness.start(Map.of("R2_STREAM_VISUALIZATION", "true"))) {
            h.upstream().enqueue(Script.fixture("text-then-tool-call.sse"));
            var events = new ArrayList<RawMessageStreamEvent>();
            Message with = accumulate(h, events);

            // The SDK hands the unknown event type to the caller as an event of no known kind (its raw JSON kept);
            // the accumulator skips it.
            List<RawMessageStreamEvent> unknown = events.stream().filter(e -> !e.isMessageStart()
                    && !e.isMessageDelta() && !e.isMessageStop() && !e.isContentBlockStart()
                    && !e.isContentBlockDelta() && !e.isContentBlockStop()).toList();
            assertEquals(10, unknown.size(), "every ncp_visualization frame reaches the caller as an unknown event");
            JsonNode last = Wire.json(com.anthropic.core.ObjectMappers.jsonMapper()
                    .writeValueAsString(unknown.get(unknown.size() - 1)._json().orElseThrow()));
            assertEquals("finish", last.path("type").asText(), last.toString());

            assertEquals(without.content(), with.content().stream().map(b -> b.isToolUse()
                    ? com.anthropic.models.messages.ContentBlock.ofToolUse(b.asToolUse().toBuilder()
                            .id(without.content().get(1).asToolUse().id()).build())
                    : b).toList());
            ToolUseBlock call = with.content().get(1).asToolUse();
            assertEquals("Bash", call.name());
            assertEquals("tool_use", with.stopReason().orElseThrow().asString());
            assertEquals(5210, with.usage().inputTokens());
            assertEquals(48, with.usage().outputTokens());
        }
    }

    /**
     * The limit of that tolerance: a client that turns on the SDK's response validation gets an error at the first
     * side-channel frame. This is why the side channel stays off by default.
     */
    @Test
    void theAnthropicJavaSdkWithResponseValidationRejectsTheSideChannel() {
        try (var h = ProxyHarness.start(Map.of("R2_STREAM_VISUALIZATION", "true"))) {
            var strict = com.anthropic.client.okhttp.AnthropicOkHttpClient.builder().baseUrl(h.baseUrl())
                    .apiKey("sk-ant-test").maxRetries(0).responseValidation(true).build();
            h.upstream().enqueue(Script.fixture("text-then-tool-call.sse"));
            var params = MessageCreateParams.builder().model("claude-opus-4-7").maxTokens(512)
                    .addUserMessage("List /tmp").build();
            try {
                var error = org.junit.jupiter.api.Assertions.assertThrows(
                        com.anthropic.errors.AnthropicInvalidDataException.class, () -> {
                            try (var stream = strict.messages().createStreaming(params)) {
                                stream.stream().forEach(event -> { });
                            }
                        });
                assertTrue(error.getMessage().contains("Unknown RawMessageStreamEvent"), error.getMessage());
            } finally {
                strict.close();
            }
        }
    }

    @Test
    void withTheDefaultSettingNoSideChannelFrameIsSent() {
        try (var h = ProxyHarness.start()) {
            h.upstream().enqueue(Script.fixture("text-then-tool-call.sse"));
            Wire.Reply reply = Wire.post(h, "/v1/messages", STREAM_BODY);
            assertFalse(SseEvents.parse(reply.body()).names().contains("ncp_visualization"), reply.text());
        }
    }

    private static Message accumulate(ProxyHarness h, List<RawMessageStreamEvent> seen) {
        var params = MessageCreateParams.builder().model("claude-opus-4-7").maxTokens(512)
                .addTool(Tool.builder().name("Bash").description("Run a command")
                        .inputSchema(Tool.InputSchema.builder().properties(Tool.InputSchema.Properties.builder()
                                .putAdditionalProperty("command", JsonValue.from(Map.of("type", "string")))
                                .build()).build()).build())
                .addUserMessage("List /tmp").build();
        try (var stream = h.client().messages().createStreaming(params)) {
            var accumulator = MessageAccumulator.create();
            stream.stream().forEach(event -> {
                seen.add(event);
                accumulator.accumulate(event);
            });
            return accumulator.message();
        }
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.path("type").asText()).toList();
    }
}
