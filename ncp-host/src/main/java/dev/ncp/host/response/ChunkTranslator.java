package dev.ncp.host.response;

import dev.ncp.api.error.ErrorType;
import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.stream.StopReason;
import dev.ncp.api.stream.StreamEvent.ContentBlockDelta;
import dev.ncp.api.stream.StreamEvent.ContentBlockStart;
import dev.ncp.api.stream.StreamEvent.ContentBlockStop;
import dev.ncp.api.stream.StreamEvent.MessageDelta;
import dev.ncp.api.stream.StreamEvent.MessageStop;
import dev.ncp.api.stream.StreamEvent.TextBlock;
import dev.ncp.api.stream.StreamEvent.TextDelta;
import dev.ncp.api.stream.StreamEvent.ThinkingBlock;
import dev.ncp.api.stream.StreamEvent.ThinkingDelta;
import dev.ncp.api.stream.StreamEvent;
import dev.ncp.api.stream.StreamProcessor.Emitter;
import dev.ncp.api.stream.Usage;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.response.ChatChunk.ChunkUsage;
import dev.ncp.host.response.ChatChunk.ToolCallDelta;
import dev.ncp.host.translate.ToolIdCodec;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Turns one answer's upstream chunks into canonical events with block <em>keys</em> (the chain renumbers them).
 * Reasoning ({@code reasoning_content} or {@code reasoning}) becomes a thinking block, content a text block, tool
 * calls tool_use blocks (see {@link ToolCallStreamer}); a change of kind closes the open block.
 *
 * <p>The end of the message waits for the end of the upstream stream, not for {@code finish_reason}: usage often
 * arrives in a later chunk with no choices, and the final {@code message_delta} must carry the real numbers. A
 * stream that ends with neither a finish_reason nor {@code [DONE]} was cut off and ends in an error event, never
 * in a silent end_turn. Thinking blocks get their signature from {@code BlockFinalizer}, the one place that signs.
 */
public final class ChunkTranslator {

    private enum Kind { NONE, THINKING, TEXT }

    private final ShapingContext request;
    private final UpstreamErrorMapper errors;
    private final IntSupplier blockKeys;
    private final int estimatedInputTokens;
    private final ToolCallStreamer tools;
    private Kind open = Kind.NONE;
    private int openKey;
    private String finishReason;
    private String matchedStop;
    private ChunkUsage usage;
    private long emittedChars;
    private boolean finished;

    /**
     * @param toolNames       restores the client's tool names from the (sanitized) names sent upstream
     * @param freshToolUseIds ids for tool calls the upstream sent without one
     * @param blockKeys       the answer's block-key allocator, shared with the processors
     */
    public ChunkTranslator(ShapingContext request, UnaryOperator<String> toolNames, ToolIdCodec toolIds,
                           Supplier<String> freshToolUseIds, IntSupplier blockKeys, UpstreamErrorMapper errors,
                           int estimatedInputTokens) {
        this.request = request;
        this.errors = errors;
        this.blockKeys = blockKeys;
        this.estimatedInputTokens = estimatedInputTokens;
        this.tools = new ToolCallStreamer(toolNames, toolIds, freshToolUseIds, blockKeys);
    }

    /** Whether the answer has ended (message_stop or error emitted); later input is ignored. */
    public boolean finished() {
        return finished;
    }

    /** Whether a finish_reason has arrived. */
    public boolean finishReasonSeen() {
        return finishReason != null;
    }

    public void onChunk(ChatChunk chunk, Emitter out) {
        if (finished) {
            return;
        }
        if (chunk.isError()) {
            fail(errors.fromStreamChunk(chunk), out);
            return;
        }
        if (chunk.usage() != null) {
            usage = chunk.usage();
        }
        for (ChatChunk.Choice choice : chunk.choices()) {
            if (choice.index() != 0 || finishReason != null) {
                continue; // ncp never asks for n > 1; nothing after finish_reason belongs to the answer
            }
            if (choice.delta() != null) {
                reasoning(choice.delta().anyReasoning(), out);
                text(choice.delta().content(), out);
                for (ToolCallDelta call : choice.delta().toolCalls()) {
                    emittedChars += call.function() == null || call.function().arguments() == null
                            ? 0 : call.function().arguments().length();
                    tools.onFragment(call, () -> closeOpen(out), out);
                }
            }
            if (choice.finishReason() != null) {
                finishReason = choice.finishReason();
                matchedStop = choice.matchedStopString();
                closeOpen(out);
                tools.finish(out);
            }
        }
    }

    /** {@code data: [DONE]}. Without a finish_reason the upstream still said it was done: a normal stop. */
    public void onDone(Emitter out) {
        if (!finished) {
            complete(out);
        }
    }

    /** The body ended without {@code [DONE]}: normal if a finish_reason came, else the answer was cut off. */
    public void onEndOfInput(Emitter out) {
        if (finished) {
            return;
        }
        if (finishReason != null) {
            complete(out);
        } else {
            closeOpen(out);
            tools.abandon(out);
            fail(new ApiError(ErrorType.API, "The upstream closed the stream before finishing the answer "
                    + "(no finish_reason, no [DONE]); the answer is incomplete."), out);
        }
    }

    /** Ends the answer with an error event (the chain closes any open block first). */
    public void fail(ApiError error, Emitter out) {
        if (!finished) {
            finished = true;
            out.emit(new StreamEvent.Error(error.type(), error.getMessage()));
        }
    }

    private void complete(Emitter out) {
        closeOpen(out);
        tools.finish(out);
        StopReason reason = stopReason();
        out.emit(new MessageDelta(reason, reason == StopReason.STOP_SEQUENCE ? matchedStop : null, usage()));
        out.emit(new MessageStop());
        finished = true;
    }

    private void reasoning(String thinking, Emitter out) {
        if (thinking == null || thinking.isEmpty()) {
            return;
        }
        switchTo(Kind.THINKING, out);
        emittedChars += thinking.length();
        out.emit(new ContentBlockDelta(openKey, new ThinkingDelta(thinking)));
    }

    private void text(String text, Emitter out) {
        if (text == null || text.isEmpty()) {
            return;
        }
        if (open != Kind.TEXT && text.isBlank() && (tools.hasLiveBlock() || tools.anyCall())) {
            return; // whitespace some models send between or after tool calls would be an empty-looking block
        }
        switchTo(Kind.TEXT, out);
        emittedChars += text.length();
        out.emit(new ContentBlockDelta(openKey, new TextDelta(text)));
    }

    private void switchTo(Kind kind, Emitter out) {
        if (open == kind) {
            return;
        }
        closeOpen(out);
        open = kind;
        openKey = blockKeys.getAsInt();
        out.emit(new ContentBlockStart(openKey, kind == Kind.TEXT ? new TextBlock() : new ThinkingBlock()));
    }

    private void closeOpen(Emitter out) {
        if (open != Kind.NONE) {
            out.emit(new ContentBlockStop(openKey));
            open = Kind.NONE;
        }
        tools.closeLive(out);
    }

    private StopReason stopReason() {
        String reason = finishReason == null ? "stop" : finishReason;
        return switch (reason) {
            case "length" -> StopReason.MAX_TOKENS;
            case "content_filter" -> StopReason.REFUSAL;
            default -> {
                if (tools.anyCall()) {
                    yield StopReason.TOOL_USE; // some servers say "stop" after a tool call
                }
                yield matchedStop != null && request.stopSequences().contains(matchedStop)
                        ? StopReason.STOP_SEQUENCE : StopReason.END_TURN;
            }
        };
    }

    /** Upstream's numbers when it sent them; else the input estimate and about four characters a token. */
    private Usage usage() {
        if (usage == null) {
            return new Usage(estimatedInputTokens, (int) ((emittedChars + 3) / 4), 0, 0);
        }
        int cached = Math.min(usage.cachedTokens(), usage.promptTokens());
        return new Usage(usage.promptTokens() - cached, usage.completionTokens(), cached, 0);
    }
}
