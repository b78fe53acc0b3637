package dev.ncp.api.stream;

import dev.ncp.api.error.ErrorType;

/**
 * The canonical events of one answer. They mirror Anthropic's SSE grammar, so the SSE writer is a direct rendering
 * and a non-streamed answer is a fold over the same events.
 *
 * <p>Inside the processor chain, a block's {@code index} is only a key that ties its start, deltas and stop
 * together: processors may open new blocks with keys from {@link StreamContext#newBlockKey()}. The last link
 * renumbers blocks 0, 1, 2... in the order they start, which is what the client sees.
 */
public sealed interface StreamEvent {

    /** The answer begins. {@code usage.inputTokens} is an estimate until upstream reports. */
    record MessageStart(String messageId, String model, Usage usage) implements StreamEvent {
    }

    record ContentBlockStart(int index, BlockStart block) implements StreamEvent {
    }

    record ContentBlockDelta(int index, Delta delta) implements StreamEvent {
    }

    record ContentBlockStop(int index) implements StreamEvent {
    }

    /** How the answer ended, with cumulative usage; may also be sent mid-stream as a usage snapshot. */
    record MessageDelta(StopReason stopReason, String stopSequence, Usage usage) implements StreamEvent {
    }

    record MessageStop() implements StreamEvent {
    }

    /** Keeps a silent stream alive. */
    record Ping() implements StreamEvent {
    }

    /** The answer failed after it started; ends the stream. */
    record Error(ErrorType type, String message) implements StreamEvent {
    }

    /** The kind of block a {@link ContentBlockStart} opens. */
    sealed interface BlockStart permits TextBlock, ThinkingBlock, RedactedThinkingBlock, ToolUseBlock {
    }

    record TextBlock() implements BlockStart {
    }

    record ThinkingBlock() implements BlockStart {
    }

    record RedactedThinkingBlock(String data) implements BlockStart {
    }

    /** A tool call; its input arrives as {@link InputJsonDelta}s whose concatenation is the input's JSON. */
    record ToolUseBlock(String id, String name) implements BlockStart {
    }

    sealed interface Delta permits TextDelta, ThinkingDelta, SignatureDelta, InputJsonDelta {
    }

    record TextDelta(String text) implements Delta {
    }

    record ThinkingDelta(String thinking) implements Delta {
    }

    record SignatureDelta(String signature) implements Delta {
    }

    record InputJsonDelta(String partialJson) implements Delta {
    }
}
