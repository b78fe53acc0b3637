package dev.ncp.host.pump;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.ncp.api.error.ErrorType;
import dev.ncp.api.stream.StreamEvent;
import dev.ncp.host.anthropic.Ids;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.response.AnswerStreamContext;
import dev.ncp.host.response.ChunkTranslator;
import dev.ncp.host.response.OpenAiChunkDecoder;
import dev.ncp.host.response.UpstreamDecodeException;
import dev.ncp.host.response.UpstreamErrorMapper;
import dev.ncp.host.response.UpstreamJson;
import dev.ncp.host.translate.ToolIdCodec;
import dev.ncp.host.upstream.PendingResponse;
import dev.ncp.host.upstream.UpstreamResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Drives one answer end to end on the caller's (virtual) thread: the upstream request sent, message_start, the
 * upstream's answer awaited, then its body through the {@link AnswerPipeline} to the sink, with a {@link Watchdog}
 * sending pings through silences and enforcing the deadlines. Whatever goes wrong mid-answer ends it with exactly one
 * error event — unless the client is gone, in which case the upstream is simply abandoned. An attempt that fails before
 * any content reached the client may be replaced by another from its {@link AttemptSequence} (a retry, a fallback
 * model): that is the seam of {@code dev.ncp.host.resilience}. Shared by all answers; holds no answer's state.
 */
public final class AnswerPump {

    private static final int READ_BUFFER_BYTES = 8192;
    /** The most upstream bytes whose events wait for one flush, so a fast upstream still streams steadily. */
    private static final int BATCH_MAX_BYTES = 32 * 1024;

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

    /** Runs one answer into {@code sink} with a single attempt; returns when the answer has ended. */
    public void run(Attempt only, EventSink sink) {
        run(AttemptSequence.of(only), sink);
    }

    /**
     * Runs one answer into {@code sink}, taking another attempt from {@code attempts} whenever one fails before
     * any content reached the client. Returns when the answer has ended one way or another; throws only what
     * {@link AttemptSequence#first()} throws, before anything was written.
     */
    public void run(AttemptSequence attempts, EventSink sink) {
        Attempt attempt = attempts.first();
        var guarded = new GuardedSink(sink);
        // The first attempt's request leaves before message_start, which waits for the exact input token count
        // (counted on its own thread since the request was translated): the upstream reads the request meanwhile.
        PendingResponse sent = attempt.send();
        AnswerPipeline pipeline;
        try {
            pipeline = pipeline(attempt, guarded);
        } catch (RuntimeException | Error e) {
            sent.abandon();
            throw e;
        }
        var watchdog = new Watchdog(settings, guarded, Thread.currentThread());
        ApiError answered = null;
        try {
            pipeline.start();
            guarded.endOfBatch();
            watchdog.start();
            PendingResponse first = sent;
            sent = null;
            ApiError failure;
            while ((failure = pumpAttempt(attempt, first, pipeline, guarded, watchdog)) != null) {
                first = null;
                watchdog.opening(); // a backoff before the next attempt is cut short like a slow opening
                attempt = attempts.next(attempt, failure);
                guarded.startOver(); // a whole answer's content so far: the new attempt gives all of it again
                pipeline = pipeline(attempt, guarded);
                pipeline.start(); // its message_start stays in the guarded sink: the client has one already
            }
        } catch (GuardedSink.SinkFailedException clientGone) {
            // nobody is listening any more; the attempt abandoned its upstream
        } catch (ApiError e) {
            answered = failUnlessGone(pipeline, guarded, watchdog, e);
        } catch (UpstreamDecodeException e) {
            answered = failUnlessGone(pipeline, guarded, watchdog, new ApiError(ErrorType.API, e.getMessage()));
        } catch (IOException e) {
            answered = failUnlessGone(pipeline, guarded, watchdog, new ApiError(ErrorType.API,
                    "The connection to the upstream failed mid-answer: " + e.getMessage()));
        } catch (RuntimeException e) {
            answered = failUnlessGone(pipeline, guarded, watchdog, new ApiError(ErrorType.API,
                    "ncp failed while translating the answer: " + e));
        } finally {
            if (sent != null) {
                sent.abandon(); // message_start never reached the client: nobody will read this answer
            }
            watchdog.stop();
            if (watchdog.interruptedPump()) {
                Thread.interrupted(); // our interrupt was meant for the upstream call; it must not outlive the answer
            }
            attempts.ended(attempt, guarded.contentSent(), answered);
        }
    }

    /**
     * One upstream attempt: open, then pump its body. Returns null when the answer ended, or the failure when it
     * failed while another attempt may still replace it (nothing but message_start reached the client, and neither
     * the client nor the total deadline ended the answer); throws any other failure.
     *
     * @param sent the attempt's request if it was sent already; null to send it now
     */
    private ApiError pumpAttempt(Attempt attempt, PendingResponse sent, AnswerPipeline pipeline, GuardedSink sink,
                                 Watchdog watchdog) throws IOException {
        UpstreamResponse response = null;
        try {
            watchdog.opening();
            response = sent != null ? sent.awaitHead() : attempt.open();
            watchdog.streaming(response);
            pump(response.body(), pipeline, sink, watchdog);
            response.release(); // nothing more is read: the exchange may end by itself and its connection be reused
            StreamEvent.Error inBand = sink.endedWith();
            if (inBand != null && replaceable(sink, watchdog)) {
                return new ApiError(inBand.type(), inBand.message()); // a whole answer's: nobody has seen it yet
            }
            return null;
        } catch (ApiError e) {
            if (replaceable(sink, watchdog)) {
                return e;
            }
            throw e;
        } catch (UpstreamDecodeException e) {
            if (replaceable(sink, watchdog)) {
                return new ApiError(ErrorType.API, 502, e.getMessage(), Map.of());
            }
            throw e;
        } catch (IOException e) {
            if (replaceable(sink, watchdog)) {
                return brokenOrSilent(e, watchdog, sink.contentSent());
            }
            throw e;
        } finally {
            if (response != null) {
                response.close();
            }
        }
    }

    private static boolean replaceable(GuardedSink sink, Watchdog watchdog) {
        Watchdog.Abort abort = watchdog.abort();
        return sink.replaceable() && (abort == Watchdog.Abort.NONE || abort == Watchdog.Abort.UPSTREAM_IDLE);
    }

    private ApiError brokenOrSilent(IOException e, Watchdog watchdog, boolean midAnswer) {
        if (watchdog.abort() != Watchdog.Abort.UPSTREAM_IDLE) {
            return new ApiError(ErrorType.API, 502, "The connection to the upstream failed "
                    + (midAnswer ? "mid-answer: " : "before the answer began: ") + e.getMessage(), Map.of());
        }
        if (!watchdog.bodyStarted()) {
            return new ApiError(ErrorType.TIMEOUT, "The upstream sent no byte of its answer within "
                    + settings.firstByteTimeout().toSeconds() + " s; the answer was abandoned.");
        }
        return idleError();
    }

    private ApiError idleError() {
        return new ApiError(ErrorType.TIMEOUT, "The upstream sent nothing for "
                + settings.idleTimeout().toSeconds() + " s; the answer was abandoned.");
    }

    /** The single-threaded part of an answer, for callers (and tests) that feed bytes themselves. */
    public AnswerPipeline pipeline(Attempt attempt, EventSink sink) {
        var context = new AnswerStreamContext(attempt.shaping(), ids, toolIds, attempt.toolNames());
        var translator = new ChunkTranslator(attempt.shaping(), attempt.toolNames(), toolIds, ids::toolUseId,
                context, errors, attempt.estimatedInputTokens());
        var decoder = new OpenAiChunkDecoder(chunkReader, settings.maxEventBytes());
        return new AnswerPipeline(attempt, decoder, translator, attempt.chain().open(context, sink), sink);
    }

    private void pump(InputStream body, AnswerPipeline pipeline, GuardedSink sink, Watchdog watchdog)
            throws IOException {
        byte[] buffer = new byte[READ_BUFFER_BYTES];
        int unflushedBytes = 0;
        try {
            int n;
            // Reading stops at the end of the answer: a server that keeps the body open after [DONE] must not
            // hold the client's response open. (The rest of the body is drained after, see UpstreamResponse.)
            while (!pipeline.finished() && (n = body.read(buffer)) >= 0) {
                watchdog.upstreamActive();
                pipeline.feed(buffer, 0, n);
                unflushedBytes += n;
                // What the upstream has already sent goes to the client in one batch (one flush): the JDK client
                // hands over one HTTP chunk per read, often a single event. The batch ends before a read could
                // wait, and at most every BATCH_MAX_BYTES of a fast upstream.
                if (unflushedBytes >= BATCH_MAX_BYTES || body.available() == 0) {
                    sink.endOfBatch();
                    unflushedBytes = 0;
                }
                if (pipeline.finishReasonSeen()) {
                    watchdog.finishReasonSeen();
                }
            }
        } catch (IOException e) {
            if (!wholeButUnterminated(pipeline, watchdog)) {
                throw e;
            }
        }
        if (unflushedBytes > 0) {
            sink.endOfBatch(); // the answer finished with more of the body still here
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

    /** Ends the answer with an error event, unless the client is gone; returns the error it got, if any. */
    private ApiError failUnlessGone(AnswerPipeline pipeline, GuardedSink sink, Watchdog watchdog, ApiError error) {
        if (sink.failed() || watchdog.abort() == Watchdog.Abort.CLIENT_GONE) {
            return null;
        }
        if (watchdog.interruptedPump()) {
            Thread.interrupted(); // writing the error must not trip over an interrupt meant for the upstream call
        }
        ApiError reported = switch (watchdog.abort()) {
            case UPSTREAM_IDLE -> idleError();
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
        return reported;
    }
}
