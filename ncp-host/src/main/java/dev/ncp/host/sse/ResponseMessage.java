package dev.ncp.host.sse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.api.stream.StopReason;
import dev.ncp.api.stream.Usage;
import java.util.List;

/**
 * A whole Anthropic {@code Message}, as a non-streamed answer returns it: the fold of an answer's events.
 *
 * @param stopSequence the stop sequence that ended the answer, when {@code stopReason} is {@code stop_sequence}
 */
public record ResponseMessage(
        String id,
        String model,
        List<Block> content,
        StopReason stopReason,
        String stopSequence,
        Usage usage) {

    public ResponseMessage {
        content = List.copyOf(content);
    }

    /** One content block of a message. */
    public sealed interface Block {
    }

    public record Text(String text) implements Block {
    }

    public record Thinking(String thinking, String signature) implements Block {
    }

    public record RedactedThinking(String data) implements Block {
    }

    /** @param input the tool's arguments, always a JSON object */
    public record ToolUse(String id, String name, JsonNode input) implements Block {
    }
}
