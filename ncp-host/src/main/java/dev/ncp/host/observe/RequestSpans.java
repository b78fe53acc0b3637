package dev.ncp.host.observe;

import dev.ncp.api.stream.StopReason;
import dev.ncp.api.stream.Usage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The spans of one Messages API request: a server span from arrival to the last byte, and one client span per
 * upstream attempt under it (a retry or a fallback is one more), carrying the GenAI semantic-convention attributes.
 * The principal's id goes in, never a key; never any prompt or completion text (sizes, models and tokens only).
 *
 * <p>Without an SDK ({@link Tracing#off()}) nothing is recorded, and the client's own trace headers are what the
 * upstream gets.
 */
public final class RequestSpans {

    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<List<String>> FINISH_REASONS =
            AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    static final AttributeKey<String> PRINCIPAL = AttributeKey.stringKey("ncp.principal");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("ncp.route");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("ncp.outcome");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<Long> TTFT_MS = AttributeKey.longKey("ncp.time_to_first_token_ms");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("ncp.attempt");
    private static final String CHAT = "chat";

    private final Tracer tracer;
    private final Span server;
    private final Map<String, String> clientHeaders;
    private volatile Span attempt;
    private volatile int attempts;

    private RequestSpans(Tracer tracer, Span server, Map<String, String> clientHeaders) {
        this.tracer = tracer;
        this.server = server;
        this.clientHeaders = clientHeaders;
    }

    /** Tracing off: only the client's trace headers, for the upstream. */
    static RequestSpans passThrough(Map<String, String> headers) {
        Map<String, String> kept = new HashMap<>();
        for (String name : List.of("traceparent", "tracestate")) {
            String value = headers.get(name);
            if (value != null) {
                kept.put(name, value);
            }
        }
        return new RequestSpans(null, null, Map.copyOf(kept));
    }

    static RequestSpans start(Tracer tracer, Context parent, String requestId, String principal, long arrivedNanos) {
        long agoNanos = System.nanoTime() - arrivedNanos;
        Instant arrived = Instant.now().minusNanos(agoNanos);
        Span server = tracer.spanBuilder("POST /v1/messages")
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setStartTimestamp(arrived)
                .setAttribute("http.request.method", "POST")
                .setAttribute("http.route", "/v1/messages")
                .setAttribute(OPERATION, CHAT)
                .setAttribute(Tracing.REQUEST_ID, requestId)
                .setAttribute(PRINCIPAL, principal)
                .startSpan();
        return new RequestSpans(tracer, server, Map.of());
    }

    /** The model the client asked for and the route ncp chose. */
    void routed(String requestedModel, String route) {
        if (server != null) {
            server.setAttribute(REQUEST_MODEL, requestedModel);
            server.setAttribute(ROUTE, route);
        }
    }

    /** An upstream attempt begins (the first, a retry, or a fallback model's): its client span starts. */
    void attemptStarted(String model) {
        attemptStarted(model, "openai");
    }

    /** @param provider what the upstream speaks: {@code openai} (chat completions) or {@code anthropic} */
    void attemptStarted(String model, String provider) {
        if (server == null) {
            return;
        }
        int n = ++attempts;
        attempt = tracer.spanBuilder(CHAT + " " + model)
                .setParent(Context.root().with(server))
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(OPERATION, CHAT)
                .setAttribute(PROVIDER, provider)
                .setAttribute(REQUEST_MODEL, model)
                .setAttribute(ATTEMPT, (long) n)
                .startSpan();
    }

    /** The current attempt failed before or while answering. */
    void attemptFailed(String errorType) {
        Span span = attempt;
        if (span != null && span.isRecording()) {
            span.setAttribute(ERROR_TYPE, errorType);
            span.setStatus(StatusCode.ERROR);
            span.end();
        }
    }

    /** The current attempt's answer was read to its end (or abandoned): its span ends. */
    void attemptEnded() {
        Span span = attempt;
        if (span != null && span.isRecording()) {
            span.end();
        }
    }

    /** The headers the upstream request carries: the current attempt's context, or the client's own. */
    public Map<String, String> upstreamHeaders() {
        Span span = attempt != null ? attempt : server;
        if (span == null) {
            return clientHeaders;
        }
        Map<String, String> headers = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(Context.root().with(span), headers, Map::put);
        return headers;
    }

    void firstToken(long millis) {
        if (server != null) {
            server.addEvent("gen_ai.first_token", Attributes.of(TTFT_MS, millis));
        }
    }

    void usage(String model, Usage usage, StopReason reason) {
        for (Span span : new Span[] {attempt, server}) {
            if (span != null) {
                span.setAttribute(RESPONSE_MODEL, model);
                span.setAttribute(INPUT_TOKENS, (long) usage.inputTokens());
                span.setAttribute(OUTPUT_TOKENS, (long) usage.outputTokens());
                if (reason != null) {
                    span.setAttribute(FINISH_REASONS, List.of(reason.name().toLowerCase(Locale.ROOT)));
                }
            }
        }
    }

    /** A retry or a fallback: an event of the server span naming the model tried next and why. */
    void event(String name, String model, String reason) {
        if (server != null) {
            server.addEvent(name, Attributes.of(REQUEST_MODEL, model, ERROR_TYPE, reason));
        }
    }

    /** The request is over: the server span ends with how it ended. */
    void end(RequestSummary summary) {
        if (server == null) {
            return;
        }
        attemptEnded();
        server.setAttribute(STATUS, (long) summary.status());
        server.setAttribute(OUTCOME, summary.outcome());
        if (!summary.model().equals("-")) {
            server.setAttribute(RESPONSE_MODEL, summary.model());
        }
        if (summary.status() >= 500 || summary.outcome().equals("error")) {
            server.setStatus(StatusCode.ERROR);
            server.setAttribute(ERROR_TYPE, Integer.toString(summary.status()));
        }
        server.end();
    }
}
