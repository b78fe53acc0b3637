package dev.ncp.host.messages;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.auth.Principal;
import dev.ncp.host.anthropic.Ids;
import dev.ncp.host.anthropic.MessagesRequest;
import dev.ncp.host.anthropic.MessagesRequestParser;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.exchange.AnswerTaps;
import dev.ncp.host.exchange.Exchange;
import dev.ncp.host.exchange.RequestUpstreamCall;
import dev.ncp.host.observe.Observability;
import dev.ncp.host.observe.RequestTrace;
import dev.ncp.host.plan.AnswerPlan;
import dev.ncp.host.plan.AnswerPlanner;
import dev.ncp.host.plan.PlannedAttempts;
import dev.ncp.host.plan.ResponseChains;
import dev.ncp.host.pump.AnswerPump;
import dev.ncp.host.resilience.ResilientAnswer;
import dev.ncp.host.resilience.UpstreamResilience;
import dev.ncp.host.sse.MessageAggregator;
import dev.ncp.host.sse.SseWriter;
import dev.ncp.host.upstream.Upstream;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/**
 * {@code POST /v1/messages}: parse, plan, then one answer through the pump — written as SSE for
 * {@code stream: true}, folded into one Message for {@code stream: false}. Both modes run the same events, and the
 * same retries and fallbacks ({@link ResilientAnswer}) while nothing but message_start has reached the client.
 */
public final class MessagesHandler {

    /** Claude Code (2.1.2xx and later) sends this on every request of a Task/Agent-tool subagent. */
    static final String SUBAGENT_HEADER = "x-claude-code-agent-id";

    private final MessagesRequestParser parser;
    private final AnswerPlanner planner;
    private final ResponseChains chains;
    private final AnswerPump pump;
    private final Upstream upstream;
    private final UpstreamResilience resilience;
    private final ObjectMapper json;
    private final Ids ids;
    private final int textDeltaChars;
    private final Optional<ApiError> missingUpstreamKey;
    private final Observability observe;

    public MessagesHandler(MessagesRequestParser parser, AnswerPlanner planner, ResponseChains chains, AnswerPump pump,
                           Upstream upstream, UpstreamResilience resilience, ObjectMapper json, Ids ids,
                           int textDeltaChars, Optional<ApiError> missingUpstreamKey, Observability observe) {
        this.parser = parser;
        this.planner = planner;
        this.chains = chains;
        this.pump = pump;
        this.upstream = upstream;
        this.resilience = resilience;
        this.json = json;
        this.ids = ids;
        this.textDeltaChars = textDeltaChars;
        this.missingUpstreamKey = missingUpstreamKey;
        this.observe = observe;
    }

    public void handle(Context ctx) throws IOException {
        Exchange exchange = Exchange.of(ctx);
        MessagesRequest request = parser.parse(ctx.bodyAsBytes());
        exchange.taps().requestParsed(request);
        RequestTrace trace = exchange.beginTrace(observe, request.model(), request.streaming());
        Principal principal = exchange.principal();
        AnswerPlan plan = planner.plan(request, principal, ctx.header(SUBAGENT_HEADER) != null);
        trace.routed(plan.resolution(), plan.chat().model());
        plan.guarded().forEach(trace::intervened);
        if (missingUpstreamKey.isPresent() && exchange.upstreamKey().isEmpty()) { // NCP_KEY_PASSTHROUGH's own key
            throw missingUpstreamKey.get();
        }
        var attempts = new PlannedAttempts(planner, chains, plan, principal, request.model(), ids.messageId(),
                new RequestUpstreamCall(upstream, exchange, trace), trace);
        ResilientAnswer answer = resilience.answer(attempts, trace);
        // For streams these go out with message_start, before the upstream answers, so they name the first model;
        // a fallback model used later is in the trace (logs, metrics, bus, session). A whole (stream: false)
        // answer's headers name the model that answered.
        ctx.header("x-ncp-model", plan.chat().model());
        ctx.header("x-ncp-route", plan.resolution().route());
        if (request.streaming()) {
            stream(ctx, answer, trace);
        } else {
            answerWhole(ctx, answer, trace);
        }
    }

    private void stream(Context ctx, ResilientAnswer answer, RequestTrace trace) throws IOException {
        ctx.status(200);
        ctx.header("Content-Type", "text/event-stream; charset=utf-8");
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Accel-Buffering", "no");
        AnswerTaps taps = Exchange.of(ctx).taps();
        OutputStream out = taps.wrap(ctx.res().getOutputStream());
        var sse = new SseWriter(out, json, textDeltaChars);
        pump.run(answer, taps.wrap(trace.sink(sse, sse::writeVisualization)));
        taps.answeredBy(answer.model());
    }

    private void answerWhole(Context ctx, ResilientAnswer answer, RequestTrace trace) {
        var aggregator = new MessageAggregator(json);
        AnswerTaps taps = Exchange.of(ctx).taps();
        // Nothing is written before the end, so only watching the connection shows a client that hung up.
        try (var watch = ClientHangUpWatch.start(ctx)) {
            pump.run(answer, taps.wrap(trace.sink(new HangUpAwareSink(aggregator, watch))));
            taps.answeredBy(answer.model());
            if (watch.hungUp()) {
                return; // its upstream was abandoned; nobody reads an answer
            }
        }
        if (answer.fellBack()) {
            ctx.header("x-ncp-model", answer.model());
            ctx.header("x-ncp-route", "fallback");
        }
        byte[] body = aggregator.messageJson(); // throws the answer's ApiError when it failed
        ctx.status(200).contentType("application/json").result(body);
    }
}
