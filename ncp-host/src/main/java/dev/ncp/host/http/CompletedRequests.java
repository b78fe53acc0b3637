package dev.ncp.host.http;

import dev.ncp.host.error.ApiError;
import dev.ncp.host.exchange.Exchange;
import dev.ncp.host.observe.Observability;
import dev.ncp.host.observe.RequestSummary;
import dev.ncp.host.observe.RequestTrace;
import io.javalin.http.Context;
import java.util.function.Consumer;

/**
 * After-handler, once the response is written (or the stream ended): finishes the request's trace and hands its
 * summary to {@link Observability} (metrics, access log line). Runs for every request, including those refused
 * before reaching a handler.
 */
public final class CompletedRequests {

    /** The Messages API request whose answers are traced and counted. */
    private static final String MESSAGES_PATH = "/v1/messages";

    private final Observability observe;
    private final Consumer<RequestSummary> usage;

    /** @param usage where each request's summary is also counted (usage accounting) */
    public CompletedRequests(Observability observe, Consumer<RequestSummary> usage) {
        this.observe = observe;
        this.usage = usage;
    }

    public void completed(Context ctx) {
        Exchange exchange = Exchange.of(ctx);
        RequestTrace trace = exchange.trace().orElse(null);
        boolean messages = ctx.path().equals(MESSAGES_PATH) && ctx.method().name().equals("POST");
        if (trace == null && messages) {
            trace = exchange.beginTrace(observe, "-", false); // refused before the body was read (auth, bad JSON...)
        }
        ApiError thrown = exchange.error().orElse(null);
        RequestSummary summary = trace != null
                ? trace.complete(ctx.method().name(), ctx.path(), ctx.statusCode(), thrown)
                : plainRequest(ctx, exchange);
        observe.completed(summary);
        usage.accept(summary);
    }

    private static RequestSummary plainRequest(Context ctx, Exchange exchange) {
        long durationMillis = (System.nanoTime() - exchange.arrivedNanos()) / 1_000_000;
        return new RequestSummary(exchange.requestId(), exchange.principal().id(), ctx.method().name(), ctx.path(),
                "-", "-", "-", "-", ctx.statusCode(), ctx.statusCode() < 400 ? "ok" : "error", "-", null, durationMillis,
                0, 0);
    }
}
