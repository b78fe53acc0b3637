package dev.ncp.host.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.openai.ChatRequest;
import dev.ncp.api.stream.StreamProcessor;
import dev.ncp.host.anthropic.Ids;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.processors.BlockFinalizer;
import dev.ncp.host.processors.ThinkTagProcessor;
import dev.ncp.host.processors.UsageSnapshots;
import dev.ncp.host.pump.AnswerPipeline;
import dev.ncp.host.pump.AnswerPump;
import dev.ncp.host.pump.Attempt;
import dev.ncp.host.pump.EventSink;
import dev.ncp.host.pump.ProcessorChain;
import dev.ncp.host.pump.PumpSettings;
import dev.ncp.host.response.UpstreamErrorMapper;
import dev.ncp.host.response.UpstreamJson;
import dev.ncp.host.security.ThinkingSigner;
import dev.ncp.host.sse.MessageAggregator;
import dev.ncp.host.sse.ResponseMessage;
import dev.ncp.host.sse.SseWriter;
import dev.ncp.host.translate.ToolIdCodec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs answers through the real response path (decoder, translator, processor chain, sink) without a network,
 * with deterministic ids and a fixed signing secret, so results can be compared whole.
 */
public final class AnswerHarness {

    public static final ObjectMapper JSON = UpstreamJson.newMapper();
    public static final ThinkingSigner SIGNER =
            new ThinkingSigner("ncp-test-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    public static final ToolIdCodec TOOL_IDS = new ToolIdCodec();
    public static final String MESSAGE_ID = "msg_01TestAnswer0000000000";
    public static final String CLIENT_MODEL = "claude-sonnet-4-5";

    /** What an answer came to: a message, or the error a non-streaming client would get. */
    public record Outcome(ResponseMessage message, ApiError error) {
        public String errorText() {
            return error == null ? null : error.type().wireName() + ": " + error.getMessage();
        }

        /** Equal outcomes: same message, or same error type and message. */
        public boolean sameAs(Outcome other) {
            return java.util.Objects.equals(message, other.message)
                    && java.util.Objects.equals(errorText(), other.errorText());
        }
    }

    private AnswerHarness() {
    }

    public static ModelInfo model(String id, boolean reasoning) {
        return new ModelInfo(id, "", List.of(), 131_072, 16_384,
                new ModelInfo.Capabilities(true, false, reasoning, false), reasoning ? "always-on" : "none",
                List.of(), Map.of());
    }

    /**
     * An attempt at {@code model} whose answer a test feeds itself (its call is never made) through an empty chain
     * ({@link #withChain} gives it one).
     */
    public static Attempt spec(ModelInfo model, List<String> stopSequences) {
        return spec(new ShapingContext(model, CLIENT_MODEL, null, Map.of(), stopSequences));
    }

    public static Attempt spec(ShapingContext shaping) {
        ChatRequest chat = new ChatRequest(shaping.model().id(), List.of(), null, null, null, null, null, null, null,
                null, null, true, ChatRequest.StreamOptions.WITH_USAGE, null, null, null);
        return new Attempt(MESSAGE_ID, CLIENT_MODEL, () -> 1000, shaping, name -> name,
                new ProcessorChain(List.of()), chat, (c, where) -> {
                    throw new AssertionError("this test feeds the answer itself; nothing calls the upstream");
                });
    }

    /** {@code spec} answered through {@code chain}. */
    public static Attempt withChain(Attempt spec, ProcessorChain chain) {
        return new Attempt(spec.messageId(), spec.clientModel(), spec.inputTokens(), spec.shaping(), spec.toolNames(),
                chain, spec.chat(), spec.call());
    }

    /** {@code spec} answered through {@code chain}, its upstream answer opened by {@code call}. */
    public static Attempt attempt(Attempt spec, ProcessorChain chain, Attempt.Call call) {
        return new Attempt(spec.messageId(), spec.clientModel(), spec.inputTokens(), spec.shaping(), spec.toolNames(),
                chain, spec.chat(), call);
    }

    /** A spec for a plain (non-reasoning) model with no stop sequences. */
    public static Attempt plainSpec() {
        return spec(model("qwen/qwen3-coder-480b-a35b-instruct", false), List.of());
    }

    /** A spec for a reasoning model (think tags are parsed). */
    public static Attempt reasoningSpec() {
        return spec(model("nvidia/llama-3.3-nemotron-super-49b-v1.5", true), List.of());
    }

    /** The built-in chain: think tags and the finalizer, plus usage snapshots when asked. */
    public static ProcessorChain chain(boolean usageSnapshots) {
        return chain(usageSnapshots, List.of());
    }

    /** The built-in chain and {@code more} (e.g. the open-model guard's links). */
    public static ProcessorChain chain(boolean usageSnapshots, List<StreamProcessor> more) {
        var processors = new ArrayList<StreamProcessor>(List.of(new ThinkTagProcessor(), new BlockFinalizer(SIGNER)));
        if (usageSnapshots) {
            processors.add(new UsageSnapshots());
        }
        processors.addAll(more);
        return new ProcessorChain(processors);
    }

    public static Ids ids() {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(42L); // seeded before first use: the sequence is fixed
            return new Ids(random);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static AnswerPump pump(PumpSettings settings) {
        return new AnswerPump(settings, JSON, new UpstreamErrorMapper(JSON), TOOL_IDS, ids());
    }

    /** Feeds {@code body} cut at the given offsets (ascending) and folds the events into a message. */
    public static Outcome aggregate(Attempt spec, byte[] body, int... cuts) {
        var aggregator = new MessageAggregator(JSON);
        feed(spec, chain(false), aggregator, body, cuts);
        try {
            return new Outcome(aggregator.message(), null);
        } catch (ApiError e) {
            return new Outcome(null, e);
        }
    }

    /** Feeds {@code body} whole and returns the SSE bytes a streaming client receives. */
    public static byte[] sse(Attempt spec, ProcessorChain chain, byte[] body, int mergeLimit) {
        var out = new ByteArrayOutputStream();
        feed(spec, chain, new SseWriter(out, JSON, mergeLimit), body);
        return out.toByteArray();
    }

    public static void feed(Attempt spec, ProcessorChain chain, EventSink sink, byte[] body, int... cuts) {
        AnswerPipeline pipeline = pump(PumpSettings.defaults()).pipeline(withChain(spec, chain), sink);
        pipeline.start();
        sink.endOfBatch();
        int from = 0;
        for (int cut : cuts) {
            pipeline.feed(body, from, cut - from);
            sink.endOfBatch();
            from = cut;
        }
        pipeline.feed(body, from, body.length - from);
        sink.endOfBatch();
        pipeline.endOfInput();
        sink.endOfBatch();
    }
}
