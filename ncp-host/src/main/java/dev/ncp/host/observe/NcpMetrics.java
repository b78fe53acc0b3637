package dev.ncp.host.observe;

import dev.ncp.host.processors.guard.GuardKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * ncp's meters in one Micrometer registry, rendered for {@code GET /metrics} in the Prometheus text format. Names
 * below are Micrometer's; Prometheus sees dots as underscores, counters with {@code _total} and timers in seconds
 * (e.g. {@code ncp.requests} → {@code ncp_requests_total}). docs/observability.md lists them all.
 *
 * <p>One instance per server (no global registry), so tests can run several servers in one JVM.
 */
public final class NcpMetrics {

    /** Histogram buckets for request duration and time to first token: agents wait seconds to minutes. */
    private static final Duration[] LATENCY_BUCKETS = {
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300)};

    /** Breaker states as gauge values. */
    private static final Map<String, Integer> BREAKER_STATES = Map.of("closed", 0, "half_open", 1, "open", 2);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger activeStreams = new AtomicInteger();
    private final Map<String, AtomicInteger> breakers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> upstreamBreakers = new ConcurrentHashMap<>();
    private final BoundedLabels models = new BoundedLabels(64);
    private final BoundedLabels breakerNames = new BoundedLabels(64);
    /** Principal ids (never keys): a shared server's users, or {@code passthrough:<hash>} per client key. */
    private final BoundedLabels principals = new BoundedLabels(64);
    /** Upstream names: the default and the configured ones. */
    private final BoundedLabels upstreams = new BoundedLabels(64);

    public NcpMetrics(VisualizationBus bus) {
        Gauge.builder("ncp.active.streams", activeStreams, AtomicInteger::get)
                .description("Answers being produced right now (streamed or not)").register(registry);
        FunctionCounter.builder("ncp.visualization.events.published", bus, VisualizationBus::published)
                .description("Events published on the visualization bus").register(registry);
        FunctionCounter.builder("ncp.visualization.events.dropped", bus, VisualizationBus::dropped)
                .description("Bus events dropped because a subscriber's buffer was full").register(registry);
        Gauge.builder("ncp.visualization.subscribers", bus, b -> b.subscribers().size())
                .description("Connected visualization subscribers (dashboard websockets)").register(registry);
        for (String scope : new String[] {"global", "principal", "upstream"}) {
            rateLimitCounter(scope); // present at 0 before the first rejection
        }
        for (GuardKind kind : GuardKind.values()) {
            guardCounter(kind); // present at 0 before the first intervention
        }
    }

    /** One Messages API request is over: counts it, its latency and its tokens. */
    void requestCompleted(RequestSummary s) {
        String model = models.of(s.model());
        String route = s.route().equals("-") ? "none" : s.route();
        Counter.builder("ncp.requests").description("Messages API requests by upstream model, route, status and principal")
                .tag("model", model).tag("upstream", upstreams.of(s.upstream())).tag("route", route)
                .tag("status", Integer.toString(s.status()))
                .tag("principal", principals.of(s.principal()))
                .tag("outcome", s.outcome()).register(registry).increment();
        latency("ncp.request.duration", "Messages API request duration, arrival to last byte", model)
                .record(Duration.ofMillis(s.durationMillis()));
        if (s.ttftMillis() != null) {
            latency("ncp.time.to.first.token", "Arrival of the request to its first content event", model)
                    .record(Duration.ofMillis(s.ttftMillis()));
        }
        tokens(model, "input").increment(s.inputTokens());
        tokens(model, "output").increment(s.outputTokens());
    }

    /** An answer ended in an error (upstream status, timeout, broken stream...). */
    void upstreamError(String kind) {
        Counter.builder("ncp.upstream.errors").description("Answers that failed, by Anthropic error type")
                .tag("kind", kind).register(registry).increment();
    }

    void answerStarted() {
        activeStreams.incrementAndGet();
    }

    void answerEnded() {
        activeStreams.decrementAndGet();
    }

    /** A request was refused with 429 by a limit ({@code scope}: global, principal or upstream). */
    public void rateLimited(String scope) {
        rateLimitCounter(scope).increment();
    }

    /** The guard repaired a tool call or noted a loop ({@code ncp_guard_interventions_total{kind}}). */
    void guardIntervened(GuardKind kind) {
        guardCounter(kind).increment();
    }

    void retried(String model, String reason) {
        Counter.builder("ncp.upstream.retries").description("Upstream calls tried again")
                .tag("model", models.of(model)).tag("reason", reason == null ? "unknown" : reason)
                .register(registry).increment();
    }

    void fellBack(String from, String to) {
        Counter.builder("ncp.upstream.fallbacks").description("Answers given by a fallback model")
                .tag("from", models.of(from)).tag("to", models.of(to)).register(registry).increment();
    }

    /** Circuit breaker {@code breaker} is now in {@code state} (closed, half_open, open). */
    void breakerChanged(String breaker, String state) {
        String name = breakerNames.of(breaker);
        AtomicInteger gauge = breakers.computeIfAbsent(name, n -> {
            var value = new AtomicInteger();
            Gauge.builder("ncp.breaker.state", value, AtomicInteger::get)
                    .description("Circuit breaker state: 0 closed, 1 half_open, 2 open")
                    .tag("breaker", n).register(registry);
            return value;
        });
        gauge.set(BREAKER_STATES.getOrDefault(state.toLowerCase(Locale.ROOT), -1));
        Counter.builder("ncp.breaker.transitions").description("Circuit breaker state changes")
                .tag("breaker", name).tag("to", state.toLowerCase(Locale.ROOT)).register(registry).increment();
    }

    /**
     * The breaker of {@code model} on {@code upstream} is now in {@code state}: the gauge
     * {@code ncp_upstream_breaker_state{upstream,model}} (0 closed, 1 half_open, 2 open).
     */
    void upstreamBreakerChanged(String upstream, String model, String state) {
        String u = upstreams.of(upstream);
        String m = models.of(model);
        AtomicInteger gauge = upstreamBreakers.computeIfAbsent(u + "|" + m, n -> {
            var value = new AtomicInteger();
            Gauge.builder("ncp.upstream.breaker.state", value, AtomicInteger::get)
                    .description("Circuit breaker state of a deployment (a model on an upstream): 0 closed,"
                            + " 1 half_open, 2 open")
                    .tag("upstream", u).tag("model", m).register(registry);
            return value;
        });
        gauge.set(BREAKER_STATES.getOrDefault(state.toLowerCase(Locale.ROOT), -1));
    }

    /** A request whose every candidate was open was sent anyway (panic mode). */
    void panicked(String model, String upstream) {
        Counter.builder("ncp.upstream.panic.requests")
                .description("Requests sent although every candidate's breaker was open (panic mode)")
                .tag("model", models.of(model)).tag("upstream", upstreams.of(upstream)).register(registry)
                .increment();
    }

    /**
     * The timer of one storage operation ({@code engine}: memory, sqlite, redis), recording nanoseconds; looked up
     * once by {@code TimedStorage}, so recording costs no registry lookup.
     */
    public LongConsumer storageTimer(String engine, String operation) {
        Timer timer = Timer.builder("ncp.storage.operation").description("Storage engine operation latency")
                .tag("engine", engine).tag("operation", operation)
                .serviceLevelObjectives(Duration.ofNanos(100_000), Duration.ofMillis(1), Duration.ofMillis(5),
                        Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofMillis(500))
                .register(registry);
        return nanos -> timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    public int activeStreams() {
        return activeStreams.get();
    }

    /** The Prometheus text exposition format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    private Counter rateLimitCounter(String scope) {
        return Counter.builder("ncp.rate.limit.rejections").description("Requests refused by a rate limit")
                .tag("scope", scope).register(registry);
    }

    private Counter guardCounter(GuardKind kind) {
        return Counter.builder("ncp.guard.interventions")
                .description("What the guard repaired in open models' tool calls, and the loop notes it added")
                .tag("kind", kind.wireName()).register(registry);
    }

    private Timer latency(String name, String description, String model) {
        return Timer.builder(name).description(description).tag("model", model)
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    }

    private Counter tokens(String model, String direction) {
        return Counter.builder("ncp.tokens").description("Tokens by upstream model: input (prompt) and output")
                .tag("model", model).tag("direction", direction).register(registry);
    }
}
