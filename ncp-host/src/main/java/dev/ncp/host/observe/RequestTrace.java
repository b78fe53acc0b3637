package dev.ncp.host.observe;

import dev.ncp.api.openai.ChatRequest;
import dev.ncp.api.stream.StopReason;
import dev.ncp.api.stream.StreamEvent;
import dev.ncp.api.stream.Usage;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.model.Resolution;
import dev.ncp.host.processors.guard.GuardEvents;
import dev.ncp.host.processors.guard.GuardIntervention;
import dev.ncp.host.pump.Attempt;
import dev.ncp.host.pump.EventSink;
import dev.ncp.host.resilience.ResilienceEvents;
import dev.ncp.host.upstream.PendingResponse;
import dev.ncp.host.upstream.UpstreamResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * What observability knows about one {@code POST /v1/messages} request while it runs: the models, the timings
 * (upstream first byte, first token), usage, how it ended. Every step is published on the {@link VisualizationBus};
 * when the SSE side channel is on, the same events are queued for the client's stream. At the end it yields the
 * {@link RequestSummary} for the access log and the metrics.
 *
 * <p>It is also the request's {@link ResilienceEvents}: the resilience layer reports its retries and fallbacks here,
 * so they reach the bus and the metrics, and the model that answered is the one logged and counted; and its
 * {@link GuardEvents}, so what the guard repaired reaches them too. (Breaker transitions are process-wide and
 * reported by {@link ResilienceMetrics}.)
 *
 * <p>Written by the request's thread, the pump's watchdog (through the sink, under the pump's lock) and the
 * resilience layer; every field is safe to read from any of them.
 */
public final class RequestTrace implements ResilienceEvents, GuardEvents {

    /** The route of an answer given by a fallback model (as the planner names it for a fallback's plan). */
    static final String FALLBACK_ROUTE = "fallback";
    /** The shortest first-token-to-end span for which a tokens/s figure is given. */
    private static final long MIN_RATE_SPAN_NANOS = 50_000_000L;

    private final VisualizationBus bus;
    private final NcpMetrics metrics;
    private final String requestId;
    private final String principal;
    private final long arrivedNanos;
    private final boolean sideChannel;
    private final RequestSpans spans;
    private final Queue<BusMessage> unsent = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean answering = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile String requested = "-";
    private volatile String model = "-";
    private volatile String route = "-";
    private volatile String upstream = "-";
    private volatile long firstByteNanos;
    private volatile long firstTokenNanos;
    private volatile Usage usage = Usage.ZERO;
    private volatile StopReason stopReason;
    private volatile ApiError failure;
    private volatile boolean clientGone;
    private volatile long endedNanos;

    /** A trace with no spans of its own (tracing off, no client trace headers). */
    RequestTrace(VisualizationBus bus, NcpMetrics metrics, String requestId, String principal, long arrivedNanos,
                 boolean sideChannel) {
        this(bus, metrics, requestId, principal, arrivedNanos, sideChannel, RequestSpans.passThrough(Map.of()));
    }

    RequestTrace(VisualizationBus bus, NcpMetrics metrics, String requestId, String principal, long arrivedNanos,
                 boolean sideChannel, RequestSpans spans) {
        this.spans = spans;
        this.bus = bus;
        this.metrics = metrics;
        this.requestId = requestId;
        this.principal = principal;
        this.arrivedNanos = arrivedNanos;
        this.sideChannel = sideChannel;
    }

    public String requestId() {
        return requestId;
    }

    void received(String requestedModel, boolean stream) {
        requested = requestedModel;
        publish(new VisualEvent.Received(principal, requestedModel, stream));
    }

    /** The model was resolved; {@code upstreamModel} is the id sent upstream (after the adapter shaped it). */
    public void routed(Resolution resolution, String upstreamModel) {
        model = upstreamModel;
        route = resolution.route();
        spans.routed(resolution.requested(), route);
        publish(new VisualEvent.Routed(resolution.requested(), upstreamModel, resolution.route()));
    }

    /** The request goes untranslated ({@code NCP_UPSTREAM_PROTOCOL=anthropic}) to the model it names. */
    public void passedThrough(String upstreamModel) {
        model = upstreamModel;
        route = "passthrough";
        spans.routed(requested, route);
        publish(new VisualEvent.Routed(requested, upstreamModel, route));
    }

    /** Usage read from a passed-through answer (cumulative, as Anthropic reports it). */
    public void usageReported(Usage snapshot, StopReason reason) {
        usage(snapshot, reason);
    }

    /**
     * {@code call}, each call one upstream attempt: its span (ended when the answer is read, abandoned or refused),
     * and when the upstream's body starts to arrive.
     */
    public Attempt.Call observe(Attempt.Call call) {
        return new Attempt.Call() {
            @Override
            public UpstreamResponse open(ChatRequest chat, dev.ncp.host.upstream.Upstream where) {
                return send(chat, where).awaitHead();
            }

            @Override
            public PendingResponse send(ChatRequest chat, dev.ncp.host.upstream.Upstream where) {
                upstream = where == null ? dev.ncp.host.upstream.Upstream.DEFAULT_NAME : where.name();
                spans.attemptStarted(chat.model());
                PendingResponse pending;
                try {
                    pending = call.send(chat, where);
                } catch (RuntimeException e) {
                    throw failed(e);
                }
                return pending.observed(RequestTrace.this::noteFailure,
                        body -> new FirstByteInputStream(body, RequestTrace.this::firstByte), spans::attemptEnded);
            }
        };
    }

    private RuntimeException failed(RuntimeException e) {
        noteFailure(e);
        return e;
    }

    private void noteFailure(Throwable e) {
        spans.attemptFailed(e instanceof ApiError api ? api.type().wireName() : e.getClass().getSimpleName());
    }

    /** The trace headers the current upstream attempt carries (W3C {@code traceparent}, {@code tracestate}). */
    public Map<String, String> upstreamHeaders() {
        return spans.upstreamHeaders();
    }

    /** {@code target} with this request's events observed on their way to it (no side channel). */
    public EventSink sink(EventSink target) {
        return sink(target, null);
    }

    /**
     * {@code target} with this request's events observed on their way to it; when the side channel is on, the
     * events are also handed to {@code sideChannel} (the SSE writer's {@code ncp_visualization} frames).
     */
    public EventSink sink(EventSink target, Consumer<String> sideChannel) {
        if (answering.compareAndSet(false, true)) {
            metrics.answerStarted();
        }
        return new VisualizationSink(this, target, this.sideChannel ? sideChannel : null);
    }

    /** The resilience layer tries {@code model} again: a bus event and a retry counted for that model. */
    @Override
    public void retrying(String model, int retry, Duration wait, ApiError cause) {
        String reason = cause.type().wireName();
        metrics.retried(model, reason);
        spans.event("ncp.retry", model, reason);
        publish(new VisualEvent.Retry(model, retry + 1, reason, wait.toMillis()));
    }

    /**
     * The resilience layer moves on to {@code to}: from now on it is the model used (access log, metrics, finish
     * event, session), with the route {@value #FALLBACK_ROUTE} — for streams too, whose {@code x-ncp-model} header
     * went out with message_start and still names the first model.
     */
    @Override
    public void fellBack(String from, String to, ApiError cause) {
        metrics.fellBack(from, to);
        spans.event("ncp.fallback", to, cause.type().wireName());
        model = to;
        route = FALLBACK_ROUTE;
        publish(new VisualEvent.Fallback(from, to, cause.type().wireName()));
    }

    /** The guard changed something in this request: a bus event and the intervention counted by kind. */
    @Override
    public void intervened(GuardIntervention intervention) {
        metrics.guardIntervened(intervention.kind());
        publish(new VisualEvent.Guard(intervention.kind().wireName(), intervention.tool(), intervention.detail()));
    }

    /** Every candidate was open and this request was sent anyway (panic mode): counted. */
    @Override
    public void panicked(String model, String upstream) {
        metrics.panicked(model, upstream);
    }

    /** The upstream model of the latest attempt: the one that answered, once the answer has content. */
    public String model() {
        return model;
    }

    /** The upstream of the latest attempt ({@code default}, or a named one): the one that answered, if any did. */
    public String upstream() {
        return upstream;
    }

    /**
     * A pass-through attempt to the Messages API upstream {@code name} begins: its client span starts (as a chat
     * attempt's does) and the W3C trace headers it carries upstream are returned.
     */
    public Map<String, String> passThroughAttempt(String name) {
        upstream = name;
        spans.attemptStarted(model, "anthropic");
        return spans.upstreamHeaders();
    }

    /** The pass-through attempt failed before its answer began ({@code cause} is what the client would see). */
    public void passThroughFailed(ApiError cause) {
        spans.attemptFailed(cause.type().wireName());
    }

    /** The pass-through attempt's answer was relayed to its end, or abandoned: its span ends. */
    public void passThroughEnded() {
        spans.attemptEnded();
    }

    /** {@code body}, noting when the upstream's first byte arrives (the dashboard's time to first byte). */
    public java.io.InputStream firstByteOf(java.io.InputStream body) {
        return new FirstByteInputStream(body, this::firstByte);
    }

    // --- called by the VisualizationSink, one thread at a time (under the pump's lock) ---

    void contentStarted(int index, StreamEvent.BlockStart block) {
        firstToken();
        switch (block) {
            case StreamEvent.ToolUseBlock tool -> publish(new VisualEvent.ToolCall(index, tool.id(), tool.name()));
            default -> publish(new VisualEvent.BlockStart(index, kindOf(block)));
        }
    }

    void firstToken() {
        if (firstTokenNanos == 0) {
            firstTokenNanos = System.nanoTime();
            spans.firstToken(millisSince(arrivedNanos, firstTokenNanos));
            publish(new VisualEvent.FirstToken(millisSince(arrivedNanos, firstTokenNanos)));
        }
    }

    void blockStopped(int index, String kind, long chars) {
        publish(new VisualEvent.BlockStop(index, kind, chars));
    }

    void usage(Usage snapshot, StopReason reason) {
        usage = snapshot;
        if (reason != null) {
            stopReason = reason;
        }
        spans.usage(model, snapshot, reason);
        publish(new VisualEvent.UsageSnapshot(snapshot.inputTokens(), snapshot.outputTokens(),
                snapshot.cacheReadInputTokens()));
    }

    void failing(ApiError error) {
        failure = error;
        spans.attemptFailed(error.type().wireName());
        metrics.upstreamError(error.type().wireName());
    }

    void clientGone() {
        clientGone = true;
    }

    /** The answer's last event (message_stop or error) is about to be written: publishes error and finish. */
    void answerEnded() {
        finish(200);
    }

    /** Hands the queued side-channel events to {@code out}, in order. */
    void drainSideChannel(Consumer<String> out) {
        BusMessage m;
        while ((m = unsent.poll()) != null) {
            out.accept(m.json());
        }
    }

    static String kindOf(StreamEvent.BlockStart block) {
        return switch (block) {
            case StreamEvent.TextBlock t -> "text";
            case StreamEvent.ThinkingBlock t -> "thinking";
            case StreamEvent.RedactedThinkingBlock r -> "redacted_thinking";
            case StreamEvent.ToolUseBlock t -> "tool_use";
        };
    }

    // --- the end ---

    /**
     * The request is over (called once the response is written, whatever happened); publishes the finish event
     * unless the answer did already, and returns the summary.
     *
     * @param httpStatus the status the client got
     * @param thrown     the error answered before any answer began, if any
     */
    public RequestSummary complete(String method, String path, int httpStatus, ApiError thrown) {
        if (thrown != null && failure == null && !finished.get()) {
            failure = thrown;
        }
        finish(httpStatus);
        if (answering.compareAndSet(true, false)) {
            metrics.answerEnded();
        }
        Long ttft = firstTokenNanos == 0 ? null : millisSince(arrivedNanos, firstTokenNanos);
        var summary = new RequestSummary(requestId, principal, method, path, requested, model, upstream, route,
                status(httpStatus),
                outcome(httpStatus), stopReason == null ? "-" : stopReason.name().toLowerCase(Locale.ROOT), ttft,
                millisSince(arrivedNanos, endedNanos), usage.inputTokens(), usage.outputTokens(),
                usage.cacheReadInputTokens(), usage.cacheCreationInputTokens());
        spans.end(summary);
        return summary;
    }

    private void finish(int httpStatus) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        endedNanos = System.nanoTime();
        int status = status(httpStatus);
        ApiError error = failure;
        if (error != null) {
            publish(new VisualEvent.Failed(error.type().wireName(), status, error.getMessage()));
        } else if (status >= 400) {
            publish(new VisualEvent.Failed(clientGone ? "client_gone" : "http_" + status, status, null));
        }
        Long ttft = firstTokenNanos == 0 ? null : millisSince(arrivedNanos, firstTokenNanos);
        publish(new VisualEvent.Finish(requested, model, route, status, outcome(httpStatus),
                stopReason == null ? null : stopReason.name().toLowerCase(Locale.ROOT), usage.inputTokens(),
                usage.outputTokens(), ttft, millisSince(arrivedNanos, endedNanos), tokensPerSecond()));
    }

    private int status(int httpStatus) {
        if (failure != null) {
            return failure.status();
        }
        return clientGone ? 499 : httpStatus;
    }

    private String outcome(int httpStatus) {
        if (failure != null) {
            return "error";
        }
        if (clientGone) {
            return "client_gone";
        }
        return httpStatus < 400 ? "ok" : "error";
    }

    /**
     * Output tokens over the time from the first token to the end; null when that cannot be told — no tokens, or an
     * answer delivered in one burst (under {@link #MIN_RATE_SPAN_NANOS}), whose rate would mean nothing.
     */
    private Double tokensPerSecond() {
        long span = endedNanos - firstTokenNanos;
        if (firstTokenNanos == 0 || usage.outputTokens() == 0 || span < MIN_RATE_SPAN_NANOS) {
            return null;
        }
        double perSecond = usage.outputTokens() / (span / 1e9);
        return Math.round(perSecond * 10) / 10.0;
    }

    private void firstByte() {
        if (firstByteNanos == 0) {
            firstByteNanos = System.nanoTime();
            publish(new VisualEvent.UpstreamFirstByte(millisSince(arrivedNanos, firstByteNanos)));
        }
    }

    private void publish(VisualEvent event) {
        BusMessage message = bus.publish(requestId, principal, event);
        if (sideChannel) {
            unsent.add(message);
        }
    }

    private static long millisSince(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }
}
