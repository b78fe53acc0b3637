package dev.ncp.plugin.kimi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.anthropic.core.JsonValue;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.MessageParam;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.testing.PluginJars;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.UpstreamSse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin in a whole ncp behind the Anthropic SDK: a tool loop where Kimi's call ids, parsed by the server or
 * recovered from text, come back to Kimi in the next request exactly as it wrote them.
 */
class KimiPluginInProxyTest {

    private static final String K2 = "moonshotai/kimi-k2-instruct";
    private static final Tool READ = Tool.builder().name("Read").inputSchema(Tool.InputSchema.builder()
            .properties(JsonValue.from(Map.of("file_path", Map.of("type", "string")))).build()).build();

    @TempDir
    Path plugins;

    @Test
    void callIdsGoBackToKimiAsItWroteThem() throws Exception {
        PluginJars.fromClassesOf(KimiAdapter.class, "model-kimi", plugins);
        try (var h = ProxyHarness.start(Map.of("NCP_PLUGINS_DIR", plugins.toString()))) {
            h.upstream().enqueue(Script.fixture("kimi-tool-call-id.sse"));
            h.upstream().enqueue(Script.stream(UpstreamSse.content(K2, UpstreamSse.pieces(
                    "<|tool_calls_section_begin|><|tool_call_begin|>functions.Read:1<|tool_call_argument_begin|>"
                            + "{\"file_path\": \"/repo/b.md\"}<|tool_call_end|><|tool_calls_section_end|>", 3),
                    "stop")));
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));

            MessageParam question = MessageParam.ofUser("Read the docs");
            Message first = h.client().messages().create(turn(List.of(question)));
            Message second = h.client().messages().create(turn(List.of(question, first.toParam(),
                    result(first))));
            ToolUseBlock recovered = second.content().get(0).asToolUse();
            assertEquals("Read", recovered.name());
            assertEquals(com.anthropic.models.messages.StopReason.TOOL_USE, second.stopReason().orElseThrow());
            h.client().messages().create(turn(List.of(question, first.toParam(), result(first), second.toParam(),
                    result(second))));

            JsonNode last = h.upstream().requests().get(2).json().path("messages");
            assertEquals("functions.Read:0", last.path(1).path("tool_calls").path(0).path("id").asText(),
                    last.toString());
            assertEquals("functions.Read:0", last.path(2).path("tool_call_id").asText());
            assertEquals("functions.Read:1", last.path(3).path("tool_calls").path(0).path("id").asText());
            assertEquals("functions.Read:1", last.path(4).path("tool_call_id").asText());
        }
    }

    private static MessageCreateParams turn(List<MessageParam> messages) {
        return MessageCreateParams.builder().model(K2).maxTokens(1024).addTool(READ).messages(messages).build();
    }

    /** The user's tool_result for the (last) tool_use of {@code answer}. */
    private static MessageParam result(Message answer) {
        ToolUseBlock call = answer.content().get(answer.content().size() - 1).asToolUse();
        return MessageParam.ofUserOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                ToolResultBlockParam.builder().toolUseId(call.id()).content("# docs").build())));
    }
}
