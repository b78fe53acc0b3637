package dev.ncp.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ncp.host.anthropic.MessagesRequest;
import dev.ncp.host.anthropic.MessagesRequestParser;
import dev.ncp.host.translate.RequestTranslator;
import dev.ncp.host.translate.TokenEstimator;
import dev.ncp.host.translate.ToolIdCodec;
import dev.ncp.host.translate.TranslatedRequest;
import dev.ncp.host.upstream.UpstreamJson;
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

/**
 * The request side of one {@code POST /v1/messages}: parse the client's body, translate it for the model (which
 * includes the token estimate for message_start), and serialize the upstream request — what ncp adds before the
 * upstream sees a byte. Target: under 1 ms for a Claude Code request.
 *
 * <p>Two kinds of figures. The plain benchmarks send the same body again and again, so the token estimator's cache
 * of large texts (system prompt, tool schemas, long history entries) is warm: that is an agent's steady state, as
 * each turn resends what the previous one sent. The {@code …FreshTexts} benchmarks give every invocation texts
 * never seen before (see {@link RequestBodies#withFreshTexts}): the first request of a session.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RequestTranslationBench {

    /** Wiring as {@code MessagesEndpoints} builds it: one mapper shared by parser, translator, estimator, client. */
    @State(Scope.Benchmark)
    public static class Translation {

        @Param({"claudeCode", "synthetic100k"})
        public String body;

        final ObjectMapper json = UpstreamJson.newMapper();
        final TokenEstimator tokens = new TokenEstimator(json);
        final MessagesRequestParser parser = new MessagesRequestParser(json);
        final RequestTranslator translator = new RequestTranslator(new ToolIdCodec(), tokens, json,
                "claude-llama4-maverick");
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

        @Setup(Level.Invocation)
        public void next(Translation t) {
            bytes = RequestBodies.bytes(RequestBodies.withFreshTexts(t.tree, ++nonce), t.json);
            parsed = t.parser.parse(bytes);
        }
    }

    /** Everything ncp does to a request before sending it: parse, translate (with estimate), serialize. */
    @Benchmark
    public byte[] fullPath(Translation t) {
        return t.serialize(t.translator.translate(t.parser.parse(t.bytes), RequestBodies.MODEL));
    }

    @Benchmark
    public MessagesRequest parse(Translation t) {
        return t.parser.parse(t.bytes);
    }

    /** Translation alone, including the token estimate it makes. */
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

    /** The full path for a body whose texts the estimator has not seen: every text is tokenized. */
    @Benchmark
    public byte[] fullPathFreshTexts(Translation t, FreshTexts fresh) {
        return t.serialize(t.translator.translate(t.parser.parse(fresh.bytes), RequestBodies.MODEL));
    }

    /** The estimate alone for a body whose texts the estimator has not seen. */
    @Benchmark
    public int estimateFreshTexts(Translation t, FreshTexts fresh) {
        return t.tokens.estimate(fresh.parsed);
    }
}
