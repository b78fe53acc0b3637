package dev.ncp.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ncp.host.anthropic.MessagesRequest;
import dev.ncp.host.anthropic.MessagesRequestParser;
import dev.ncp.host.response.UpstreamJson;
import dev.ncp.host.tokens.InputTokens;
import dev.ncp.host.tokens.TokenBudget;
import dev.ncp.host.tokens.TokenEstimator;
import dev.ncp.host.translate.RequestTranslator;
import dev.ncp.host.translate.ToolIdCodec;
import dev.ncp.host.translate.TranslatedRequest;
import java.util.Optional;
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
 * The request side of one {@code POST /v1/messages}: parse the client's body, translate it for the model, fit its
 * max_tokens (the token budget) and serialize the upstream request — what ncp adds before the upstream sees a byte.
 * Target: under 1 ms for a Claude Code request. The exact token count for message_start is started beside it (see
 * {@link InputTokens}); the budget uses its bounds when they settle the answer, as they do for these bodies.
 *
 * <p>Two kinds of figures. The plain benchmarks send the same body again and again, so the token estimator's cache
 * of large texts (system prompt, tool schemas, long history entries) is warm: that is an agent's steady state, as
 * each turn resends what the previous one sent. The {@code …FreshTexts} benchmarks give every invocation texts
 * never seen before (see {@link RequestBodies#withFreshTexts}): the first request of a session.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RequestTranslationBench {

    /** Wiring as {@code ServerAssembly} builds it: one mapper shared by parser, translator, estimator, client. */
    @State(Scope.Benchmark)
    public static class Translation {

        @Param({"claudeCode", "synthetic100k"})
        public String body;

        final ObjectMapper json = UpstreamJson.newMapper();
        final TokenEstimator tokens = new TokenEstimator(json);
        final MessagesRequestParser parser = new MessagesRequestParser(json);
        final RequestTranslator translator = new RequestTranslator(new ToolIdCodec(), tokens, json,
                "claude-llama4-maverick");
        final TokenBudget budget = new TokenBudget(Optional.empty(), Optional.empty());
        ObjectNode tree;
        byte[] bytes;
        MessagesRequest parsed;
        TranslatedRequest translated;

        @Setup
        public void load() throws JsonProcessingException {
            tree = RequestBodies.tree(body, json);
            bytes = RequestBodies.bytes(tree, json);
            parsed = parser.parse(bytes);
            translated = translator.translate(parsed, RequestBodies.MODEL);
            byte[] upstream = json.writeValueAsBytes(translated.chat());
            System.out.printf("%n[%s] client body %,d B, %d messages, %d tools -> upstream body %,d B,"
                            + " %d messages, ~%,d input tokens%n", body, bytes.length, parsed.messages().size(),
                    parsed.tools().size(), upstream.length, translated.chat().messages().size(),
                    translated.estimatedInputTokens());
        }

        /** What {@code AnswerPlanner} does with a parsed request before the adapter: translate, then budget. */
        TranslatedRequest plan(MessagesRequest request) {
            TranslatedRequest translated = translator.translate(request, RequestBodies.MODEL);
            budget.decide(request.maxTokens(), translated.inputTokens(), RequestBodies.MODEL,
                    translated.shaping().thinking());
            return translated;
        }

        byte[] serialize(TranslatedRequest request) {
            try {
                return json.writeValueAsBytes(request.chat());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A body whose large texts the estimator has never seen; a new one for every invocation (not timed). */
    @State(Scope.Thread)
    public static class FreshTexts {
        private int nonce;
        byte[] bytes;
        MessagesRequest parsed;

        /** The count an invocation started, finished after it (not timed) so counts never pile up. */
        InputTokens started;

        @Setup(Level.Invocation)
        public void next(Translation t) {
            bytes = RequestBodies.bytes(RequestBodies.withFreshTexts(t.tree, ++nonce), t.json);
            parsed = t.parser.parse(bytes);
        }

        @TearDown(Level.Invocation)
        public void finishCount() {
            if (started != null) {
                started.exact();
                started = null;
            }
        }
    }

    /** Everything ncp does to a request before sending it: parse, translate, budget, serialize. */
    @Benchmark
    public byte[] fullPath(Translation t) {
        return t.serialize(t.plan(t.parser.parse(t.bytes)));
    }

    @Benchmark
    public MessagesRequest parse(Translation t) {
        return t.parser.parse(t.bytes);
    }

    /** Translation alone (with the token bounds, and the exact count started or, when remembered, known). */
    @Benchmark
    public TranslatedRequest translate(Translation t) {
        return t.translator.translate(t.parsed, RequestBodies.MODEL);
    }

    @Benchmark
    public byte[] serialize(Translation t) {
        return t.serialize(t.translated);
    }

    /** The estimate alone (what count_tokens costs after parsing); large texts' counts come from the cache. */
    @Benchmark
    public int estimate(Translation t) {
        return t.tokens.estimate(t.parsed);
    }

    /**
     * The critical path for a body whose texts the estimator has not seen: parse, translate, budget, serialize,
     * while every text is tokenized on another thread (its count finishes after the invocation, untimed).
     */
    @Benchmark
    public byte[] fullPathFreshTexts(Translation t, FreshTexts fresh) {
        TranslatedRequest translated = t.plan(t.parser.parse(fresh.bytes));
        fresh.started = translated.inputTokens();
        return t.serialize(translated);
    }

    /**
     * As {@link #fullPathFreshTexts}, then waiting for the exact count too: when message_start could go out at the
     * earliest (it waits for the upstream's response headers anyway), and what the whole path cost before counts
     * ran beside it.
     */
    @Benchmark
    public int fullPathFreshTextsUntilCounted(Translation t, FreshTexts fresh) {
        TranslatedRequest translated = t.plan(t.parser.parse(fresh.bytes));
        return t.serialize(translated).length + translated.inputTokens().exact();
    }

    /** The exact count alone for a body whose texts the estimator has not seen (what runs beside the path). */
    @Benchmark
    public int estimateFreshTexts(Translation t, FreshTexts fresh) {
        return t.tokens.estimate(fresh.parsed);
    }
}
