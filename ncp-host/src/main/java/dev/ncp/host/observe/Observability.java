package dev.ncp.host.observe;

import dev.ncp.host.config.ObservabilitySettings;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Observability of the request path in one service: the {@link VisualizationBus}, the {@link NcpMetrics} and the
 * {@link AccessLog}. The Messages handler opens a {@link RequestTrace} for each answer ({@link #begin}); every
 * request ends here as one {@link RequestSummary} ({@link #completed}). It observes; it never changes a request.
 */
public final class Observability {

    private final ObservabilitySettings settings;
    private final VisualizationBus bus;
    private final NcpMetrics metrics;
    private final AccessLog accessLog;
    private final Tracing tracing;

    public Observability(ObservabilitySettings settings, Clock clock, AccessLog accessLog) {
        this(settings, clock, accessLog, Tracing.off());
    }

    public Observability(ObservabilitySettings settings, Clock clock, AccessLog accessLog, Tracing tracing) {
        this.settings = settings;
        this.tracing = tracing;
        this.bus = new VisualizationBus(settings.bufferCapacity(), clock);
        this.metrics = new NcpMetrics(bus);
        this.accessLog = accessLog;
    }

    /** Access log lines go to the {@code ncp.access} logger. */
    public static Observability create(ObservabilitySettings settings, Tracing tracing) {
        return new Observability(settings, Clock.systemUTC(), AccessLog.toLogger(settings.logFormat()), tracing);
    }

    /**
     * A Messages API request was parsed: its trace starts, published as {@code received}.
     *
     * @param arrivedNanos {@link System#nanoTime()} when the request arrived: its duration and time to first token
     *                     count from there
     */
    public RequestTrace begin(String requestId, String principalId, long arrivedNanos, String requestedModel,
                              boolean stream) {
        return begin(requestId, principalId, arrivedNanos, requestedModel, stream, Map.of());
    }

    /** As {@link #begin(String, String, long, String, boolean)}, continuing the client's trace in {@code headers}. */
    public RequestTrace begin(String requestId, String principalId, long arrivedNanos, String requestedModel,
                              boolean stream, Map<String, String> headers) {
        var trace = new RequestTrace(bus, metrics, requestId, principalId, arrivedNanos,
                settings.sideChannel() && stream, tracing.begin(requestId, principalId, arrivedNanos, headers));
        trace.received(requestedModel, stream);
        return trace;
    }

    /** A request ended (every request, refused ones too): counted when it was an answer, and its access log line. */
    public void completed(RequestSummary summary) {
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

    /**
     * The breaker of {@code model} on {@code upstream} changed state: the per-deployment gauge, and the model's
     * breaker as before ({@code upstream|model} for a named upstream) on the gauge, counter and bus.
     */
    public void upstreamBreakerChanged(String upstream, String model, String from, String to) {
        metrics.upstreamBreakerChanged(upstream, model, to);
        breakerChanged("default".equals(upstream) ? model : upstream + "|" + model, from, to);
    }

    /** A request whose every candidate was open was sent anyway (panic mode). */
    public void panicked(String model, String upstream) {
        metrics.panicked(model, upstream);
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
}
