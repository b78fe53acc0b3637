package dev.ncp.bench;

import dev.ncp.api.stream.StreamEvent.ContentBlockDelta;
import dev.ncp.api.stream.StreamEvent.InputJsonDelta;
import dev.ncp.api.stream.StreamEvent.TextDelta;
import dev.ncp.host.response.UpstreamJson;
import dev.ncp.host.sse.SseWriter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * {@code SseWriter.accept} alone: one event to one frame ({@code event:}, {@code id:}, {@code data:} JSON), written
 * and flushed to a discarding stream, delta merging off (the default). The events are token-sized, as upstream
 * chunks deliver them; the tool fragment carries escaped quotes, as tool arguments always do.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class SseEncodingBench {

    private final CountingOutputStream client = new CountingOutputStream();
    private final SseWriter writer = new SseWriter(client, UpstreamJson.newMapper(), 0);
    private final ContentBlockDelta textDelta = new ContentBlockDelta(0, new TextDelta(" the file"));
    private final ContentBlockDelta inputJsonDelta = new ContentBlockDelta(1, new InputJsonDelta("\": \"ls -l"));

    @Benchmark
    public long textDelta() {
        writer.accept(textDelta);
        return client.count();
    }

    @Benchmark
    public long inputJsonDelta() {
        writer.accept(inputJsonDelta);
        return client.count();
    }
}
