package dev.ncp.host.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds OpenAI-compatible streamed answers (what NIM sends) from the content deltas a test wants, for answers
 * no recorded fixture has: {@code data:} chunks, the finish chunk with usage, {@code [DONE]}.
 */
public final class UpstreamSse {

    private static final ObjectMapper JSON = new ObjectMapper();

    private UpstreamSse() {
    }

    /** An answer whose content arrives in {@code deltas}, ending with {@code finishReason} and usage. */
    public static byte[] content(String model, List<String> deltas, String finishReason) {
        var sse = new StringBuilder();
        sse.append(chunk(model, delta("role", "assistant").put("content", ""), null));
        for (String d : deltas) {
            sse.append(chunk(model, delta("content", d), null));
        }
        ObjectNode last = chunkNode(model, JSON.createObjectNode(), finishReason);
        last.putObject("usage").put("prompt_tokens", 100).put("completion_tokens", 20).put("total_tokens", 120);
        sse.append("data: ").append(last).append("\n\n");
        sse.append("data: [DONE]\n\n");
        return sse.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code text} cut into {@code pieces}-character deltas (the last may be shorter). */
    public static List<String> pieces(String text, int size) {
        var out = new java.util.ArrayList<String>();
        for (int i = 0; i < text.length(); i += size) {
            out.add(text.substring(i, Math.min(text.length(), i + size)));
        }
        return out;
    }

    private static ObjectNode delta(String field, String value) {
        return JSON.createObjectNode().put(field, value);
    }

    private static String chunk(String model, ObjectNode delta, String finishReason) {
        return "data: " + chunkNode(model, delta, finishReason) + "\n\n";
    }

    private static ObjectNode chunkNode(String model, ObjectNode delta, String finishReason) {
        ObjectNode chunk = JSON.createObjectNode().put("id", "chatcmpl-test").put("object", "chat.completion.chunk")
                .put("created", 1764070000).put("model", model);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return chunk;
    }
}
