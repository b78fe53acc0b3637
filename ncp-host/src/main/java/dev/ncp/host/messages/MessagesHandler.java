package dev.ncp.host.messages;

import dev.ncp.host.anthropic.MessagesRequest;
import dev.ncp.host.anthropic.MessagesRequestParser;
import dev.ncp.host.http.ApiError;
import dev.ncp.host.http.AuthFilter;
import dev.ncp.host.observe.Observability;
import dev.ncp.host.observe.RequestTrace;
import dev.ncp.host.sse.MessageAggregator;
import dev.ncp.host.sse.SseWriter;
import dev.ncp.host.stream.AnswerPump;
import dev.ncp.host.stream.AnswerSpec;
import dev.ncp.host.stream.UpstreamCall;
import dev.ncp.host.translate.Ids;
import dev.ncp.host.upstream.UpstreamClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/**
 * {@code POST /v1/messages}: parse, plan, then one answer through the pump — written as SSE for
 * {@code stream: true}, folded into one Message for {@code stream: false}. Both modes run the same events.
 */
public final class MessagesHandler {

    private final MessagesRequestParser parser;
    private final AnswerPlanner planner;
    private final ResponseChains chains;
    private final AnswerPump pump;
    private final UpstreamClient upstream;
    private final ObjectMapper json;
    private final Ids ids;
    private final int textDeltaChars;
    private final Optional<ApiError> missingUpstreamKey;
    private final Observability observe;

    public MessagesHandler(MessagesRequestParser parser, AnswerPlanner planner, ResponseChains chains, AnswerPump pump,
                           UpstreamClient upstream, ObjectMapper json, Ids ids, int textDeltaChars,
                           Optional<ApiError> missingUpstreamKey, Observability observe) {
        this.parser = parser;
        this.planner = planner;
        this.chains = chains;
        this.pump = pump;
        this.upstream = upstream;
        this.json = json;
        this.ids = ids;
        this.textDeltaChars = textDeltaChars;
        this.missingUpstreamKey = missingUpstreamKey;
        this.observe = observe;
    }

    public void handle(Context ctx) throws IOException {
        MessagesRequest request = parser.parse(ctx.bodyAsBytes());
        RequestTrace trace = observe.begin(ctx, request.model(), request.streaming());
        AnswerPlan plan = planner.plan(request, AuthFilter.principal(ctx));
        trace.routed(plan.resolution(), plan.chat().model());
        if (missingUpstreamKey.isPresent()) {
            throw missingUpstreamKey.get();
        }
        var spec = new AnswerSpec(ids.messageId(), request.model(), plan.estimatedInputTokens(), plan.shaping(),
                plan.toolNames()::restore);
        ctx.header("x-ncp-model", plan.chat().model());
        ctx.header("x-ncp-route", plan.resolution().route());
        UpstreamCall call = trace.observe(() -> upstream.open(plan.chat(), trace.requestId()));
        if (request.streaming()) {
            stream(ctx, plan, spec, call, trace);
        } else {
            answerWhole(ctx, plan, spec, call, trace);
        }
    }

    private void stream(Context ctx, AnswerPlan plan, AnswerSpec spec, UpstreamCall call, RequestTrace trace)
            throws IOException {
        ctx.status(200);
        ctx.header("Content-Type", "text/event-stream; charset=utf-8");
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Accel-Buffering", "no");
        OutputStream out = ctx.res().getOutputStream();
        var sse = new SseWriter(out, json, textDeltaChars);
        pump.run(spec, chains.forAnswer(plan), call, trace.sink(sse, sse::writeVisualization));
    }

    private void answerWhole(Context ctx, AnswerPlan plan, AnswerSpec spec, UpstreamCall call, RequestTrace trace) {
        var aggregator = new MessageAggregator(json);
        pump.run(spec, chains.forAnswer(plan), call, trace.sink(aggregator));
        byte[] body = aggregator.messageJson(); // throws the answer's ApiError when it failed
        ctx.status(200).contentType("application/json").result(body);
    }
}
