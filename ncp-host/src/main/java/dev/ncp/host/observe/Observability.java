package dev.ncp.host.observe;

import dev.ncp.host.error.ApiError;
import dev.ncp.host.http.AuthFilter;
import dev.ncp.host.error.ErrorResponses;
import dev.ncp.host.http.RequestIds;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Observability of the request path in one service: the {@link VisualizationBus}, the {@link NcpMetrics} and the
 * {@link AccessLog}. The routes start each request's clock ({@link #arrived}) and end it ({@link #completed}); the
 * Messages handler opens a {@link RequestTrace} for the answer in between. It observes; it never changes a request.
 */
public final class Observability {

    /** The Messages API request whose answers are traced and counted. */
    private static final String MESSAGES_PATH = "/v1/messages";
    private static final String ARRIVED = "ncp.arrived-nanos";
    private static final String TRACE = "ncp.trace";

    private final ObservabilitySettings settings;
    private final VisualizationBus bus;
    private final NcpMetrics metrics;
    private final AccessLog accessLog;

    public Observability(ObservabilitySettings settings, Clock clock, AccessLog accessLog) {
        this.settings = settings;
        this.bus = new VisualizationBus(settings.bufferCapacity(), clock);
        this.metrics = new NcpMetrics(bus);
        this.accessLog = accessLog;
    }

    /** Access log lines go to the {@code ncp.access} logger. */
    public static Observability create(ObservabilitySettings settings) {
        return new Observability(settings, Clock.systemUTC(), AccessLog.toLogger(settings.logFormat()));
    }

    /** Before-handler: the request's clock starts (duration and time to first token count from here). */
    public void arrived(Context ctx) {
        ctx.attribute(ARRIVED, System.nanoTime());
    }

    /** A Messages API request was parsed: its trace starts, published as {@code received}. */
    public RequestTrace begin(Context ctx, String requestedModel, boolean stream) {
        Long arrived = ctx.attribute(ARRIVED);
        var trace = new RequestTrace(bus, metrics, RequestIds.of(ctx), AuthFilter.principal(ctx).id(),
                arrived == null ? System.nanoTime() : arrived, settings.sideChannel() && stream);
        ctx.attribute(TRACE, trace);
        trace.received(requestedModel, stream);
        return trace;
    }

    /**
     * After-handler, once the response is written (or the stream ended): finishes the trace, counts the request and
     * writes its access log line. Runs for every request, including those refused before reaching a handler.
     */
    public void completed(Context ctx) {
        RequestTrace trace = ctx.attribute(TRACE);
        boolean messages = ctx.path().equals(MESSAGES_PATH) && ctx.method().name().equals("POST");
        if (trace == null && messages) {
            trace = begin(ctx, "-", false); // refused before the body was read (auth, bad JSON...)
        }
        ApiError thrown = ErrorResponses.error(ctx).orElse(null);
        RequestSummary summary = trace != null
                ? trace.complete(ctx.method().name(), ctx.path(), ctx.statusCode(), thrown)
                : plainRequest(ctx);
        if (summary.answered()) {
            metrics.requestCompleted(summary);
        }
        accessLog.record(summary);
    }

    /** A circuit breaker changed state outside any one request (e.g. its open period ended). */
    public void breakerChanged(String breaker, String from, String to) {
        metrics.breakerChanged(breaker, to);
        bus.publish("-", new VisualEvent.BreakerChange(breaker, from, to));
    }

    /** {@code GET /v1/stream/visualization}: the active settings and the bus's counters. */
    public void visualizationStatus(Context ctx) {
        ctx.json(visualizationStatus());
    }

    /** The active visualization settings and the bus's counters (also pushed to the dashboard's websocket). */
    public Map<String, Object> visualizationStatus() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("side_channel", Map.of("enabled", settings.sideChannel(), "event", "ncp_visualization",
                "setting", "R2_STREAM_VISUALIZATION"));
        body.put("websocket", "/ws/stream-visualization");
        body.put("dashboard", "/dashboard/stream");
        body.put("buffer_per_subscriber", bus.bufferCapacity());
        body.put("active_streams", metrics.activeStreams());
        body.put("published", bus.published());
        body.put("dropped", bus.dropped());
        List<BusSubscription> subscribers = bus.subscribers();
        body.put("subscribers", subscribers.size());
        body.put("subscriptions", subscribers.stream().map(s -> Map.of("name", s.name(), "delivered",
                s.delivered(), "dropped", s.dropped(), "backlog", s.backlog())).toList());
        return body;
    }

    /** {@code GET /metrics}: every meter in the Prometheus text format. */
    public void metricsText(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }

    public VisualizationBus bus() {
        return bus;
    }

    public NcpMetrics metrics() {
        return metrics;
    }

    public ObservabilitySettings settings() {
        return settings;
    }

    private static RequestSummary plainRequest(Context ctx) {
        Long arrived = ctx.attribute(ARRIVED);
        long durationMillis = arrived == null ? 0 : (System.nanoTime() - arrived) / 1_000_000;
        return new RequestSummary(RequestIds.of(ctx), AuthFilter.principal(ctx).id(), ctx.method().name(),
                ctx.path(), "-", "-", "-", ctx.statusCode(), ctx.statusCode() < 400 ? "ok" : "error", "-", null,
                durationMillis, 0, 0);
    }
}
