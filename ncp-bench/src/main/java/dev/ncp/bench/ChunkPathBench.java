package dev.ncp.bench;

import dev.ncp.api.model.ShapingContext;
import dev.ncp.host.config.GuardSettings;
import dev.ncp.host.processors.guard.GuardEvents;
import dev.ncp.host.processors.guard.OpenModelGuard;
import dev.ncp.host.pump.AnswerPipeline;
import dev.ncp.host.pump.AnswerPump;
import dev.ncp.host.pump.Attempt;
import dev.ncp.host.pump.ProcessorChain;
import dev.ncp.host.pump.PumpSettings;
import dev.ncp.host.sse.SseWriter;
import dev.ncp.host.testing.AnswerHarness;
import dev.ncp.host.upstream.UpstreamResponse;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost ncp adds per upstream chunk: SSE line parsing, chunk JSON decoding, translation to canonical events, the
 * processor chain (think tags, block finalizer; the {@code …Guarded} ones add the open-model guard) and SSE
 * encoding, into a discarding stream. One invocation is a whole answer of {@value #CHUNKS} content chunks fed event by event (as a live socket delivers them), with
 * {@code endOfBatch} after each as the pump does; the figure is per content chunk, so it includes each answer's
 * fixed cost (opening the pipeline, message_start, the finish, usage and [DONE] chunks) spread over 2,000 chunks.
 * Target: under 5 µs per chunk.
 *
 * <p>Allocation per chunk: run with {@code -prof gc} and read {@code gc.alloc.rate.norm} (bytes per op).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ChunkPathBench {

    static final int CHUNKS = 2000;

    @State(Scope.Thread)
    public static class Answers {
        final AnswerPump pump = AnswerHarness.pump(PumpSettings.defaults());
        final Attempt plain = AnswerHarness.plainSpec();
        final Attempt reasoning = AnswerHarness.reasoningSpec();
        /** The plain model with Claude Code's Write and Bash declared: the guard's text scanner then runs. */
        final Attempt withTools = AnswerHarness.spec(new ShapingContext(plain.shaping().model(),
                AnswerHarness.CLIENT_MODEL, null, Map.of(
                        "Write", Map.of("type", "object", "properties", Map.of("file_path", Map.of("type", "string"),
                                "content", Map.of("type", "string"))),
                        "Bash", Map.of("type", "object", "properties", Map.of("command", Map.of("type", "string")))),
                List.of()));
        final ProcessorChain builtIn = AnswerHarness.chain(false);
        /** The chain as ncp runs it: the built-in links and the open-model guard (every rule on). */
        final ProcessorChain guarded = AnswerHarness.chain(false,
                new OpenModelGuard(GuardSettings.defaults(), AnswerHarness.JSON).processors(GuardEvents.NONE));
        final CountingOutputStream client = new CountingOutputStream();
        UpstreamStreams.Stream text;
        UpstreamStreams.Stream toolCall;
        UpstreamStreams.Stream reasoningThenText;

        @Setup
        public void build() {
            var plainStreams = new UpstreamStreams(AnswerHarness.JSON, plain.shaping().model().id());
            var reasoningStreams = new UpstreamStreams(AnswerHarness.JSON, reasoning.shaping().model().id());
            text = plainStreams.text(CHUNKS);
            toolCall = plainStreams.toolCall(CHUNKS);
            reasoningThenText = reasoningStreams.reasoningThenText(CHUNKS * 3 / 4, CHUNKS / 4);
            check("text", text, CHUNKS, out -> feed(plain, text, out));
            // Thinking is on and no reasoning field comes, so the think-tag processor holds the first 4 KB waiting for a
            // bare </think> (chat templates that open <think> for the model): fewer, larger deltas at the start.
            check("text, reasoning model", text, ANY_COUNT, out -> feed(reasoning, text, out));
            check("tool call", toolCall, CHUNKS, out -> feed(plain, toolCall, out));
            check("reasoning then text", reasoningThenText, CHUNKS + 1, // + the signature delta
                    out -> feed(reasoning, reasoningThenText, out));
            check("text through the pump", text, CHUNKS, out -> run(plain, text, out));
            check("text, tools declared, guarded", text, ANY_COUNT, out -> feed(withTools, guarded, text, out));
            check("tool call, guarded", toolCall, CHUNKS, out -> feed(withTools, guarded, toolCall, out));
        }


        /** Feeds {@code stream} through a fresh pipeline event by event, as SSE into {@code out}. */
        void feed(Attempt spec, UpstreamStreams.Stream stream, OutputStream out) {
            feed(spec, builtIn, stream, out);
        }

        void feed(Attempt spec, ProcessorChain chain, UpstreamStreams.Stream stream, OutputStream out) {
            var writer = new SseWriter(out, AnswerHarness.JSON, 0);
            AnswerPipeline pipeline = pump.pipeline(AnswerHarness.withChain(spec, chain), writer);
            pipeline.start();
            writer.endOfBatch();
            byte[] body = stream.body();
            int from = 0;
            for (int end : stream.eventEnds()) {
                pipeline.feed(body, from, end - from);
                writer.endOfBatch();
                from = end;
            }
            pipeline.endOfInput();
            writer.endOfBatch();
        }

        /** The whole pump ({@code AnswerPump.run}): adds the guarded sink's lock and the watchdog per answer. */
        void run(Attempt spec, UpstreamStreams.Stream stream, OutputStream out) {
            pump.run(AnswerHarness.attempt(spec, AnswerHarness.chain(false),
                    (chat, where) -> new UpstreamResponse(new EventByEventInputStream(stream), () -> { })),
                    new SseWriter(out, AnswerHarness.JSON, 0));
        }

        /** For {@link #check}: any number of deltas from 1 to {@link #CHUNKS}. */
        static final int ANY_COUNT = -1;

        /** Fails the run early if a stream does not translate into a whole answer with the expected deltas. */
        private static void check(String name, UpstreamStreams.Stream stream, int expectedDeltas,
                                  Consumer<OutputStream> answer) {
            var sse = new ByteArrayOutputStream();
            answer.accept(sse);
            String out = sse.toString(StandardCharsets.UTF_8);
            int deltas = out.split("event: content_block_delta\n", -1).length - 1;
            boolean whole = out.endsWith("{\"type\":\"message_stop\"}\n\n") && !out.contains("event: error");
            boolean counted = expectedDeltas == ANY_COUNT ? deltas >= 1 && deltas <= CHUNKS : deltas == expectedDeltas;
            if (!counted || !whole) {
                throw new IllegalStateException(name + ": expected " + expectedDeltas + " deltas and message_stop,"
                        + " got " + deltas + ":\n" + out.substring(Math.max(0, out.length() - 2000)));
            }
            System.out.printf("%n[%s] %,d upstream chunks, %,d B upstream -> %,d deltas, %,d B of SSE%n", name,
                    stream.eventEnds().length, stream.body().length, deltas, sse.size());
        }
    }

    @Benchmark
    @OperationsPerInvocation(CHUNKS)
    public long textChunk(Answers a) {
        a.feed(a.plain, a.text, a.client);
        return a.client.count();
    }

    /** Text on a reasoning model with thinking on: the think-tag processor holds, then scans every text delta. */
    @Benchmark
    @OperationsPerInvocation(CHUNKS)
    public long textChunkReasoningModel(Answers a) {
        a.feed(a.reasoning, a.text, a.client);
        return a.client.count();
    }

    @Benchmark
    @OperationsPerInvocation(CHUNKS)
    public long toolArgumentFragment(Answers a) {
        a.feed(a.plain, a.toolCall, a.client);
        return a.client.count();
    }

    /** 1,500 reasoning_content chunks (thinking deltas, signed at the end) then 500 text chunks. */
    @Benchmark
    @OperationsPerInvocation(CHUNKS)
    public long reasoningThenTextChunk(Answers a) {
        a.feed(a.reasoning, a.reasoningThenText, a.client);
        return a.client.count();
    }

    /**
     * The text answer with tools declared, through the chain ncp runs: the guard's text-call scanner looks at every
     * text delta (and holds trailing whitespace and a possible marker's start), its tool links pass text through.
     */
    @Benchmark
    @OperationsPerInvocation(CHUNKS)
    public long textChunkGuarded(Answers a) {
        a.feed(a.withTools, a.guarded, a.text, a.client);
        return a.client.count();
    }

    /** The Write call through the guard: its 2,000 fragments held until the block stops, read whole, sent as sent. */
    @Benchmark
    @OperationsPerInvocation(CHUNKS)
    public long toolArgumentFragmentGuarded(Answers a) {
        a.feed(a.withTools, a.guarded, a.toolCall, a.client);
        return a.client.count();
    }

    /** The text answer through {@code AnswerPump.run}, reading one event per read as from a live socket. */
    @Benchmark
    @OperationsPerInvocation(CHUNKS)
    public long textChunkThroughPump(Answers a) {
        a.run(a.plain, a.text, a.client);
        return a.client.count();
    }
}
