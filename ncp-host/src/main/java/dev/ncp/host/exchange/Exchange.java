package dev.ncp.host.exchange;

import dev.ncp.api.auth.Principal;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.observe.Observability;
import dev.ncp.host.observe.RequestTrace;
import io.javalin.http.Context;
import io.javalin.websocket.WsContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request's state, typed, from the first filter to the access log line: its id and arrival, who it is (the
 * auth filter), the client's own upstream key ({@code NCP_KEY_PASSTHROUGH}), its upstream budget (the upstream
 * gate), its trace (the Messages handler), the taps the storage-backed features observe the answer through, and the
 * error it was answered with. Filters and handlers read and fill it; nothing else of a request is kept on the
 * request. The only class that touches Javalin's request attributes.
 */
public final class Exchange {

    private static final String ATTRIBUTE = "ncp.exchange";
    private static final Principal ANONYMOUS = Principal.named("anonymous");

    private final String requestId;
    private final long arrivedNanos;
    private final AnswerTaps taps = new AnswerTaps();
    private final Map<String, String> traceHeaders;
    // Written by the filters and the handler, all on the request's thread, read again after the answer (a
    // websocket's upgrade is read from another thread): volatile keeps those reads plain and safe.
    private volatile Principal principal = ANONYMOUS;
    private volatile String upstreamKey;
    private volatile UpstreamCalls upstreamCalls = UpstreamCalls.NONE;
    private volatile RequestTrace trace;
    private volatile ApiError error;

    private Exchange(String requestId, long arrivedNanos, Map<String, String> traceHeaders) {
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.arrivedNanos = arrivedNanos;
        this.traceHeaders = Map.copyOf(traceHeaders);
    }

    /** The first filter: the request's exchange starts, its clock with it. */
    public static Exchange begin(Context ctx, String requestId) {
        var exchange = new Exchange(requestId, System.nanoTime(), traceHeaders(ctx));
        ctx.attribute(ATTRIBUTE, exchange);
        return exchange;
    }

    /** This request's exchange; one made on the spot for a request that never passed the first filter. */
    public static Exchange of(Context ctx) {
        Exchange exchange = ctx.attribute(ATTRIBUTE);
        return exchange != null ? exchange : begin(ctx, "");
    }

    /** The exchange of the upgrade request a websocket was opened with. */
    public static Exchange of(WsContext ctx) {
        Exchange exchange = ctx.attribute(ATTRIBUTE);
        return exchange != null ? exchange : new Exchange("", System.nanoTime(), Map.of());
    }

    /** The client's W3C trace context ({@code traceparent}, {@code tracestate}), names lower-case. */
    private static Map<String, String> traceHeaders(Context ctx) {
        Map<String, String> headers = new HashMap<>();
        for (String name : new String[] {"traceparent", "tracestate"}) {
            String value = ctx.header(name);
            if (value != null && !value.isBlank()) {
                headers.put(name, value);
            }
        }
        return headers;
    }

    public String requestId() {
        return requestId;
    }

    /** {@link System#nanoTime()} when the request arrived: durations and time to first token count from here. */
    public long arrivedNanos() {
        return arrivedNanos;
    }

    /** Who the request is; {@code anonymous} until (or unless) the auth filter decided. */
    public Principal principal() {
        return principal;
    }

    public void authenticated(Principal who, Optional<String> ownUpstreamKey) {
        principal = Objects.requireNonNull(who, "who");
        upstreamKey = ownUpstreamKey.orElse(null);
    }

    /** The client's own upstream key ({@code NCP_KEY_PASSTHROUGH}); empty means ncp's {@code NVIDIA_API_KEY}. */
    public Optional<String> upstreamKey() {
        return Optional.ofNullable(upstreamKey);
    }

    /** The upstream budget the gate admitted the request with ({@link UpstreamCalls#NONE} when none applies). */
    public UpstreamCalls upstreamCalls() {
        return upstreamCalls;
    }

    public void admitted(UpstreamCalls budget) {
        upstreamCalls = Objects.requireNonNull(budget, "budget");
    }

    /** What the storage-backed features observe of the request and its answer. */
    public AnswerTaps taps() {
        return taps;
    }

    /** A Messages API request was parsed: its trace starts (published as {@code received}). */
    public RequestTrace beginTrace(Observability observe, String requestedModel, boolean stream) {
        RequestTrace started = observe.begin(requestId, principal.id(), arrivedNanos, requestedModel, stream,
                traceHeaders);
        trace = started;
        return started;
    }

    /** The request's trace; empty unless a Messages API request was parsed. */
    public Optional<RequestTrace> trace() {
        return Optional.ofNullable(trace);
    }

    /** The request was answered with {@code answered} (an Anthropic error body went out). */
    public void answeredWith(ApiError answered) {
        error = answered;
    }

    /** The error this request was answered with, if any (the access log, the dashboard). */
    public Optional<ApiError> error() {
        return Optional.ofNullable(error);
    }
}
