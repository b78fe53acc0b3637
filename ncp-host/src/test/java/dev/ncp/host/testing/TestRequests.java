package dev.ncp.host.testing;

import dev.ncp.api.openai.ChatMessage;
import dev.ncp.api.openai.ChatRequest;
import dev.ncp.api.openai.MessageContent;
import java.util.List;

/** Upstream requests for tests that need one to send. */
public final class TestRequests {

    public static final String MODEL = "qwen/qwen3-coder-480b-a35b-instruct";

    private TestRequests() {
    }

    /** A minimal streaming chat request ("Hi") to qwen3-coder, asking for usage in the last chunk. */
    public static ChatRequest streaming() {
        return new ChatRequest(MODEL, List.of(ChatMessage.user(new MessageContent.Text("Hi"))), null, null, null, 256,
                null, null, null, null, null, true, ChatRequest.StreamOptions.WITH_USAGE, null, null, null);
    }

    /**
     * A tool loop as the host translates it (reasoning not on the history, only in {@code priorReasoning}): the
     * user's question, the assistant's Read call (message 1), its result; the Read tool offered.
     */
    public static ChatRequest toolLoop() {
        var call = new ChatMessage.ToolCall("call_1",
                new ChatMessage.ToolCall.FunctionCall("Read", "{\"file_path\":\"/a\"}"));
        return streaming().withMessages(List.of(ChatMessage.user(new MessageContent.Text("Summarize /a")),
                        new ChatMessage("assistant", null, List.of(call), null, null),
                        ChatMessage.tool("call_1", new MessageContent.Text("contents of a"))))
                .withTools(List.of(new dev.ncp.api.openai.ChatTool(new dev.ncp.api.openai.ChatTool.Function("Read",
                        null, java.util.Map.of("type", "object")))), null, null);
    }
}
