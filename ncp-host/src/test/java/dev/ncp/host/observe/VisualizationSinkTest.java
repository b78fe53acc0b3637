package dev.ncp.host.observe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ncp.host.config.LogFormat;
import dev.ncp.host.config.ObservabilitySettings;
import dev.ncp.host.pump.Attempt;
import dev.ncp.host.sse.SseWriter;
import dev.ncp.host.testing.AnswerHarness;
import dev.ncp.host.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Observing an answer never alters it: through the tee, every fixture's SSE bytes are exactly the same. */
class VisualizationSinkTest {

    static List<String> fixtures() {
        return Fixtures.UPSTREAM_STREAMS;
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void theTeePassesEveryEventOnUnchanged(String fixture) {
        Attempt spec = fixture.startsWith("think") || fixture.startsWith("reasoning")
                ? AnswerHarness.reasoningSpec() : AnswerHarness.plainSpec();
        byte[] body = Fixtures.upstream(fixture);
        byte[] direct = AnswerHarness.sse(spec, AnswerHarness.chain(true), body, 16);

        var observability = new Observability(new ObservabilitySettings(false, LogFormat.PLAIN, 100),
                Clock.systemUTC(), new AccessLog(LogFormat.PLAIN, line -> { }));
        BusSubscription watcher = observability.bus().subscribe("test");
        var trace = new RequestTrace(observability.bus(), observability.metrics(), "req_test", "local",
                System.nanoTime(), false);
        var out = new ByteArrayOutputStream();
        var sse = new SseWriter(out, AnswerHarness.JSON, 16);
        AnswerHarness.feed(spec, AnswerHarness.chain(true), trace.sink(sse, sse::writeVisualization), body);

        assertArrayEquals(direct, out.toByteArray(), "the observed stream differs for " + fixture);
        assertEquals(0, watcher.dropped());
        assertEquals(true, watcher.backlog() > 0, "the answer was observed");
    }
}
