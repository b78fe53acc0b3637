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
}
