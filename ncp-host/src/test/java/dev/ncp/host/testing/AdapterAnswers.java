package dev.ncp.host.testing;

import dev.ncp.api.model.ModelAdapter;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.model.Thinking;
import dev.ncp.api.stream.StreamProcessor;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.processors.BlockFinalizer;
import dev.ncp.host.processors.ThinkTagProcessor;
import dev.ncp.host.pump.Attempt;
import dev.ncp.host.pump.ProcessorChain;
import dev.ncp.host.sse.MessageAggregator;
import dev.ncp.host.sse.SseWriter;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * For model plugins' tests: answers through the real response path (decoder, translator, the host's built-in
 * processors, the adapter's processors, finalizer, aggregator or SSE writer), as {@link AnswerHarness} runs them,
 * with the request context the adapter would see.
 */
public final class AdapterAnswers {

    private AdapterAnswers() {
    }

    /** What the adapter and its processors see: the model, the tools by upstream name with schemas, thinking. */
    public static ShapingContext shaping(ModelInfo model, Map<String, Map<String, Object>> tools, Thinking thinking) {
        return new ShapingContext(model, AnswerHarness.CLIENT_MODEL, thinking, tools, List.of());
    }

    public static Attempt spec(ShapingContext shaping) {
        return AnswerHarness.spec(shaping);
    }

    /** The host's built-in chain plus what {@code adapter} contributes for this request. */
    public static ProcessorChain chain(ModelAdapter adapter, ShapingContext shaping) {
        var processors = new ArrayList<StreamProcessor>(List.of(new ThinkTagProcessor(),
                new BlockFinalizer(AnswerHarness.SIGNER)));
        processors.addAll(adapter.streamProcessors(shaping));
        return new ProcessorChain(processors);
    }

    /** Feeds {@code body} cut at {@code cuts} and folds the events into a message (or the error). */
    public static AnswerHarness.Outcome aggregate(ModelAdapter adapter, ShapingContext shaping, byte[] body,
                                                  int... cuts) {
        var aggregator = new MessageAggregator(AnswerHarness.JSON);
        AnswerHarness.feed(spec(shaping), chain(adapter, shaping), aggregator, body, cuts);
        try {
            return new AnswerHarness.Outcome(aggregator.message(), null);
        } catch (ApiError e) {
            return new AnswerHarness.Outcome(null, e);
        }
    }

    /** The message the official Anthropic SDK accumulates from an SSE stream ncp sent. */
    public static com.anthropic.models.messages.Message accumulate(byte[] sse) {
        var accumulator = com.anthropic.helpers.MessageAccumulator.create();
        for (String frame : new String(sse, java.nio.charset.StandardCharsets.UTF_8).split("\n\n")) {
            for (String line : frame.split("\n")) {
                if (line.startsWith("data: ")) {
                    try {
                        accumulator.accumulate(com.anthropic.core.ObjectMappers.jsonMapper().readValue(
                                line.substring(6), com.anthropic.models.messages.RawMessageStreamEvent.class));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        }
        return accumulator.message();
    }

    /** The SSE bytes a streaming client receives. */
    public static byte[] sse(ModelAdapter adapter, ShapingContext shaping, byte[] body) {
        var out = new ByteArrayOutputStream();
        AnswerHarness.feed(spec(shaping), chain(adapter, shaping), new SseWriter(out, AnswerHarness.JSON, 0), body);
        return out.toByteArray();
    }
}
