package dev.ncp.host.pump;

import dev.ncp.api.error.ErrorType;
import dev.ncp.api.stream.StreamEvent.MessageDelta;
import dev.ncp.api.stream.StreamEvent.MessageStart;
import dev.ncp.api.stream.StreamEvent;
import dev.ncp.api.stream.StreamProcessor.Emitter;
import dev.ncp.api.stream.Usage;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.response.ChatChunk;
import dev.ncp.host.response.ChunkTranslator;
import dev.ncp.host.response.OpenAiChunkDecoder;
import java.util.function.Consumer;

/**
 * One answer's path from upstream bytes to finished events, on the caller's thread, with no I/O of its own:
 * decoder → translator → processor chain → sink. The pump drives it; tests feed it bytes directly.
 *
 * <p>Just before the translator's final event (the message_delta with the stop reason, or an error) enters the
 * chain, every stage is told the upstream is finished, so what a stage held back comes out before the end.
 */
public final class AnswerPipeline {

    private final Attempt attempt;
    private final OpenAiChunkDecoder decoder;
    private final ChunkTranslator translator;
    private final ProcessorChain.Run chain;
    private final Consumer<StreamEvent> sink;
    private final Emitter intoChain;
    private final OpenAiChunkDecoder.Listener listener;
    private boolean chainCompleted;

    AnswerPipeline(Attempt attempt, OpenAiChunkDecoder decoder, ChunkTranslator translator,
                   ProcessorChain.Run chain, Consumer<StreamEvent> sink) {
        this.attempt = attempt;
        this.decoder = decoder;
        this.translator = translator;
        this.chain = chain;
        this.sink = sink;
        this.intoChain = this::intoChain;
        this.listener = new OpenAiChunkDecoder.Listener() {
            @Override
            public void onChunk(ChatChunk chunk) {
                translator.onChunk(chunk, intoChain);
            }

            @Override
            public void onDone() {
                translator.onDone(intoChain);
            }
        };
    }

    /** Emits message_start, with the estimated input tokens. */
    public void start() {
        chain.emit(new MessageStart(attempt.messageId(), attempt.clientModel(),
                new Usage(attempt.estimatedInputTokens(), 0, 0, 0)));
    }

    /** Whether the answer has ended (message_stop or error sent). */
    public boolean finished() {
        return translator.finished();
    }

    /** Whether the upstream has said how the answer ended (what may still follow is usage and {@code [DONE]}). */
    public boolean finishReasonSeen() {
        return translator.finishReasonSeen();
    }

    public void feed(byte[] bytes, int offset, int length) {
        decoder.feed(bytes, offset, length, listener);
    }

    /** The upstream body ended. */
    public void endOfInput() {
        decoder.endOfInput(listener);
        translator.onEndOfInput(intoChain);
    }

    /**
     * Ends the answer with an error event. If the chain itself is what failed, the event goes straight to the sink
     * so the client still learns the answer ended.
     */
    public void fail(ApiError error) {
        if (finished()) {
            return;
        }
        try {
            translator.fail(error, intoChain);
        } catch (RuntimeException chainBroken) {
            sink.accept(new StreamEvent.Error(ErrorType.API, error.getMessage()));
        }
    }

    private void intoChain(StreamEvent event) {
        boolean last = event instanceof StreamEvent.Error
                || (event instanceof MessageDelta d && d.stopReason() != null);
        if (last && !chainCompleted) {
            chainCompleted = true;
            chain.complete();
        }
        chain.emit(event);
    }
}
