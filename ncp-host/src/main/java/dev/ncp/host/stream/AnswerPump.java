package dev.ncp.host.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.ncp.api.error.ErrorType;
import dev.ncp.host.http.ApiError;
import dev.ncp.host.translate.Ids;
import dev.ncp.host.translate.ToolIdCodec;
import dev.ncp.host.upstream.OpenAiChunkDecoder;
import dev.ncp.host.upstream.UpstreamDecodeException;
import dev.ncp.host.upstream.UpstreamErrorMapper;
import dev.ncp.host.upstream.UpstreamJson;
import dev.ncp.host.upstream.UpstreamResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * Drives one answer end to end on the caller's (virtual) thread: message_start first, then the upstream call, then
 * its body through the {@link AnswerPipeline} to the sink, with a {@link Watchdog} sending pings through silences
 * and enforcing the deadlines. Whatever goes wrong mid-answer ends it with exactly one error event — unless the
 * client is gone, in which case the upstream is simply abandoned. Shared by all answers; holds no answer's state.
 */
public final class AnswerPump {

    private static final int READ_BUFFER_BYTES = 8192;

    private final PumpSettings settings;
    private final ObjectReader chunkReader;
    private final UpstreamErrorMapper errors;
    private final ToolIdCodec toolIds;
    private final Ids ids;

    public AnswerPump(PumpSettings settings, ObjectMapper json, UpstreamErrorMapper errors, ToolIdCodec toolIds,
                      Ids ids) {
        this.settings = settings;
        this.chunkReader = UpstreamJson.chunkReader(json);
        this.errors = errors;
        this.toolIds = toolIds;
        this.ids = ids;
    }

    /** Runs one answer into {@code sink}; returns when the answer has ended one way or another. */
    public void run(AnswerSpec spec, ProcessorChain chain, UpstreamCall call, EventSink sink) {
        var guarded = new GuardedSink(sink);
        AnswerPipeline pipeline = pipeline(spec, chain, guarded);
        var watchdog = new Watchdog(settings, guarded, Thread.currentThread());
        UpstreamResponse response = null;
        try {
            pipeline.start();
            guarded.endOfBatch();
            watchdog.start();
            watchdog.opening();
            response = call.open();
            watchdog.streaming(response);
            pump(response.body(), pipeline, guarded, watchdog);
        } catch (GuardedSink.SinkFailedException clientGone) {
            // nobody is listening any more; the finally block abandons the upstream
        } catch (ApiError e) {
            failUnlessGone(pipeline, guarded, watchdog, e);
        } catch (UpstreamDecodeException e) {
            failUnlessGone(pipeline, guarded, watchdog, new ApiError(ErrorType.API, e.getMessage()));
        } catch (IOException e) {
            failUnlessGone(pipeline, guarded, watchdog, new ApiError(ErrorType.API,
                    "The connection to the upstream failed mid-answer: " + e.getMessage()));
        } catch (RuntimeException e) {
            failUnlessGone(pipeline, guarded, watchdog, new ApiError(ErrorType.API,
                    "ncp failed while translating the answer: " + e));
        } finally {
            watchdog.stop();
            if (watchdog.interruptedPump()) {
                Thread.interrupted(); // our interrupt was meant for the upstream call; it must not outlive the answer
            }
            if (response != null) {
                response.close();
            }
        }
    }

    /** The single-threaded part of an answer, for callers (and tests) that feed bytes themselves. */
    public AnswerPipeline pipeline(AnswerSpec spec, ProcessorChain chain, EventSink sink) {
        var context = new AnswerStreamContext(spec.request(), ids, toolIds, spec.toolNames());
        var translator = new ChunkTranslator(spec.request(), spec.toolNames(), toolIds, ids::toolUseId, context,
                errors, spec.estimatedInputTokens());
        var decoder = new OpenAiChunkDecoder(chunkReader, settings.maxEventBytes());
        return new AnswerPipeline(spec, decoder, translator, chain.open(context, sink), sink);
    }

    private void pump(InputStream body, AnswerPipeline pipeline, GuardedSink sink, Watchdog watchdog)
            throws IOException {
        byte[] buffer = new byte[READ_BUFFER_BYTES];
        try {
            int n;
            // Reading stops at the end of the answer: a server that keeps the body open after [DONE] must not
            // hold the client's response open. (HTTP/2 just resets the stream; the connection stays pooled.)
            while (!pipeline.finished() && (n = body.read(buffer)) >= 0) {
                watchdog.upstreamActive();
                pipeline.feed(buffer, 0, n);
                sink.endOfBatch();
                if (pipeline.finishReasonSeen()) {
                    watchdog.finishReasonSeen();
                }
            }
        } catch (IOException e) {
            if (!wholeButUnterminated(pipeline, watchdog)) {
                throw e;
            }
        }
        if (watchdog.abort() != Watchdog.Abort.NONE && !wholeButUnterminated(pipeline, watchdog)) {
            throw new IOException("aborted by the watchdog: " + watchdog.abort());
        }
        if (!pipeline.finished()) {
            pipeline.endOfInput();
            sink.endOfBatch();
        }
    }

    /** The upstream went quiet after its finish_reason: the answer is whole, only usage or [DONE] never came. */
    private static boolean wholeButUnterminated(AnswerPipeline pipeline, Watchdog watchdog) {
        return watchdog.abort() == Watchdog.Abort.UPSTREAM_IDLE && pipeline.finishReasonSeen();
    }

    private void failUnlessGone(AnswerPipeline pipeline, GuardedSink sink, Watchdog watchdog, ApiError error) {
        if (sink.failed() || watchdog.abort() == Watchdog.Abort.CLIENT_GONE) {
            return;
        }
        if (watchdog.interruptedPump()) {
            Thread.interrupted(); // writing the error must not trip over an interrupt meant for the upstream call
        }
        ApiError reported = switch (watchdog.abort()) {
            case UPSTREAM_IDLE -> new ApiError(ErrorType.TIMEOUT, "The upstream sent nothing for "
                    + settings.idleTimeout().toSeconds() + " s; the answer was abandoned.");
            case TOO_LONG -> new ApiError(ErrorType.TIMEOUT, "The answer took longer than "
                    + settings.totalTimeout().toSeconds() + " s; it was abandoned.");
            default -> error;
        };
        try {
            sink.failing(reported);
            pipeline.fail(reported);
            sink.endOfBatch();
        } catch (GuardedSink.SinkFailedException clientGone) {
            // the client left while we were telling it
        }
    }
}
