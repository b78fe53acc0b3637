package dev.ncp.host.exchange;

import dev.ncp.api.openai.ChatRequest;
import dev.ncp.host.observe.RequestTrace;
import dev.ncp.host.pump.Attempt;
import dev.ncp.host.upstream.PendingResponse;
import dev.ncp.host.upstream.Upstream;
import dev.ncp.host.upstream.UpstreamResponse;

/**
 * The upstream as one request calls it: with its request id and the client's own key (if any, and only to the
 * default upstream), every call to the default upstream taking its share of {@code NCP_UPSTREAM_RPM} through the
 * request's {@link UpstreamCalls} (the gate took the first's before the request ran; calls to a named upstream are
 * kept within its own limits by the balancer instead), each answer's first byte and upstream noted by the request's
 * trace. Every attempt of the request — retries, other deployments, the reduced {@code max_tokens}, fallback
 * models — goes through it, to the deployment the attempt names.
 */
public final class RequestUpstreamCall implements Attempt.Call {

    private final Upstream defaultUpstream;
    private final String requestId;
    private final String upstreamKey;
    private final UpstreamCalls budget;
    private final Attempt.Call traced;
    private final RequestTrace trace;

    public RequestUpstreamCall(Upstream defaultUpstream, Exchange exchange, RequestTrace trace) {
        this.defaultUpstream = defaultUpstream;
        this.requestId = exchange.requestId();
        this.upstreamKey = exchange.upstreamKey().orElse(null);
        this.budget = exchange.upstreamCalls();
        this.trace = trace;
        this.traced = trace.observe(new Attempt.Call() {
            @Override
            public UpstreamResponse open(ChatRequest chat, Upstream upstream) {
                return sendNow(chat, upstream).awaitHead();
            }

            @Override
            public PendingResponse send(ChatRequest chat, Upstream upstream) {
                return sendNow(chat, upstream);
            }
        });
    }

    @Override
    public UpstreamResponse open(ChatRequest chat, Upstream upstream) {
        if (upstream == null || upstream.isDefault()) {
            budget.another();
        }
        return traced.open(chat, upstream);
    }

    @Override
    public PendingResponse send(ChatRequest chat, Upstream upstream) {
        if (upstream == null || upstream.isDefault()) {
            budget.another();
        }
        return traced.send(chat, upstream);
    }

    private PendingResponse sendNow(ChatRequest chat, Upstream upstream) {
        return (upstream == null ? defaultUpstream : upstream).send(chat, requestId, upstreamKey,
                trace.upstreamHeaders());
    }
}
