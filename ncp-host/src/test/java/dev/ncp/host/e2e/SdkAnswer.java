package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.core.ObjectMappers;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What an SDK {@link Message} says, as plain values that compare whole: the model, every block (tool inputs as
 * parsed JSON), the stop, the usage.
 */
record SdkAnswer(String id, String model, List<Block> content, String stopReason, String stopSequence,
                 Usage usage) {

    sealed interface Block permits Text, Thinking, ToolUse {
    }

    record Text(String text) implements Block {
    }

    record Thinking(String thinking, String signature) implements Block {
    }

    record ToolUse(String id, String name, JsonNode input) implements Block {
    }

    record Usage(long input, long output, long cacheRead, long cacheCreation) {
    }

    /** A signature stands for "any non-empty signature" in expectations. */
    static final String SIGNED = "<signed>";

    static SdkAnswer of(Message m) {
        var content = new ArrayList<Block>();
        for (ContentBlock block : m.content()) {
            if (block.isText()) {
                content.add(new Text(block.asText().text()));
            } else if (block.isThinking()) {
                content.add(new Thinking(block.asThinking().thinking(), block.asThinking().signature()));
            } else if (block.isToolUse()) {
                var tool = block.asToolUse();
                content.add(new ToolUse(tool.id(), tool.name(), inputOf(tool._input())));
            } else {
                throw new AssertionError("unexpected block " + block);
            }
        }
        var u = m.usage();
        return new SdkAnswer(m.id(), m.model().asString(), List.copyOf(content),
                m.stopReason().map(r -> r.asString()).orElse(null), m.stopSequence().orElse(null),
                new Usage(u.inputTokens(), u.outputTokens(), u.cacheReadInputTokens().orElse(0L),
                        u.cacheCreationInputTokens().orElse(0L)));
    }

    /**
     * The answer with what differs between two calls of the same answer masked: the message id, and thinking
     * signatures (asserted non-empty here). Tool ids stay: they derive from the upstream id, not the call.
     */
    SdkAnswer comparable() {
        var blocks = new ArrayList<Block>();
        for (Block b : content) {
            if (b instanceof Thinking t) {
                assertFalse(t.signature() == null || t.signature().isBlank(), "thinking without a signature: " + t);
                blocks.add(new Thinking(t.thinking(), SIGNED));
            } else {
                blocks.add(b);
            }
        }
        assertTrue(id.matches("msg_[0-9A-Za-z]+"), "message id " + id);
        return new SdkAnswer("msg_", model, List.copyOf(blocks), stopReason, stopSequence, usage);
    }

    static JsonNode inputOf(com.anthropic.core.JsonValue input) {
        try {
            return Wire.JSON.readTree(ObjectMappers.jsonMapper().writeValueAsString(input));
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}
