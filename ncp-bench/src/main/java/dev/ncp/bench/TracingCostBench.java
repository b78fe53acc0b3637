package dev.ncp.bench;

import com.sun.net.httpserver.HttpServer;
import dev.ncp.host.config.LogFormat;
import dev.ncp.host.config.ObservabilitySettings;
import dev.ncp.host.observe.AccessLog;
import dev.ncp.host.observe.Observability;
import dev.ncp.host.observe.RequestSummary;
import dev.ncp.host.observe.RequestTrace;
import dev.ncp.host.observe.Tracing;
import dev.ncp.host.testing.TestRequests;
import dev.ncp.host.upstream.UpstreamResponse;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What OpenTelemetry tracing adds to one request on the request's own thread: a request's trace from start to end as
 * the Messages path drives it — begin (the server span, continuing a client {@code traceparent}), one upstream
 * attempt (its client span, the {@code traceparent} for the upstream), the answer released, complete (the spans end,
 * the summary) — with tracing {@code off} (no SDK) and {@code on} (the SDK with its OTLP/HTTP exporter, batching to a
 * receiver on 127.0.0.1 that accepts every export). The exporter's own thread is not on the request's path and not
 * in the score.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class TracingCostBench {

    private static final Map<String, String> CLIENT_TRACE =
            Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

    @Param({"off", "on"})
    public String tracing;

    private HttpServer receiver;
    private Tracing spans;
    private Observability observe;
    private long sequence;

    @Setup(Level.Trial)
    public void open() throws Exception {
        if (tracing.equals("on")) {
            receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            receiver.createContext("/v1/traces", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    exchange.sendResponseHeaders(200, -1);
                }
            });
            receiver.start();
            spans = Tracing.fromSettings(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT",
                    "http://127.0.0.1:" + receiver.getAddress().getPort(), "OTEL_EXPORTER_OTLP_PROTOCOL",
                    "http/protobuf"));
        } else {
            spans = Tracing.off();
        }
        observe = new Observability(new ObservabilitySettings(false, LogFormat.PLAIN, 1000), Clock.systemUTC(),
                new AccessLog(LogFormat.PLAIN, line -> { }), spans);
    }

    @TearDown(Level.Trial)
    public void close() {
        spans.close();
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Benchmark
    public RequestSummary oneRequest() {
        RequestTrace trace = observe.begin("req_" + sequence++, "bench", System.nanoTime(), "claude-opus-4-5", true,
                CLIENT_TRACE);
        UpstreamResponse answer = trace.observe((chat, upstream) -> new UpstreamResponse(InputStream.nullInputStream(),
                () -> { }, () -> { })).open(TestRequests.streaming(), null);
        trace.upstreamHeaders();
        answer.release();
        return trace.complete("POST", "/v1/messages", 200, null);
    }
}
