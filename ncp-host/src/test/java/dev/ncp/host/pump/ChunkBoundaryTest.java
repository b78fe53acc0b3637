package dev.ncp.host.pump;

import static dev.ncp.host.testing.AnswerHarness.aggregate;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.testing.AnswerHarness.Outcome;
import dev.ncp.host.testing.AnswerHarness;
import dev.ncp.host.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The socket may cut the upstream body anywhere: inside a UTF-8 character, inside {@code \r\n}, inside a tag or a
 * JSON fragment. Every cut must give exactly the message of the uncut body.
 */
class ChunkBoundaryTest {

    static Stream<String> fixtures() {
        return Fixtures.UPSTREAM_STREAMS.stream();
    }

    /** Reasoning-model spec for fixtures with think tags or reasoning, stop sequence "###" for that fixture. */
    private static Attempt specFor(String fixture) {
        if (fixture.startsWith("think") || fixture.startsWith("reasoning")) {
            return AnswerHarness.reasoningSpec();
        }
        return AnswerHarness.spec(AnswerHarness.model("qwen/qwen3-coder-480b-a35b-instruct", false), List.of("###"));
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyTwoPieceSplitGivesTheSameMessage(String fixture) {
        assertEverySplitAgrees(fixture, Fixtures.upstream(fixture));
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyTwoPieceSplitOfTheCrlfVersionGivesTheSameMessage(String fixture) {
        byte[] crlf = new String(Fixtures.upstream(fixture), StandardCharsets.UTF_8).replace("\n", "\r\n")
                .getBytes(StandardCharsets.UTF_8);
        Outcome lf = aggregate(specFor(fixture), Fixtures.upstream(fixture));
        assertTrue(lf.sameAs(aggregate(specFor(fixture), crlf)), fixture + ": CRLF differs from LF");
        assertEverySplitAgrees(fixture, crlf);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void randomMultiPieceSplitsGiveTheSameMessage(String fixture) {
        byte[] body = Fixtures.upstream(fixture);
        Outcome whole = aggregate(specFor(fixture), body);
        var random = new Random(fixture.hashCode());
        for (int round = 0; round < 300; round++) {
            int[] cuts = random.ints(1 + random.nextInt(40), 1, body.length).sorted().distinct().toArray();
            Outcome split = aggregate(specFor(fixture), body, cuts);
            assertTrue(whole.sameAs(split), fixture + " cut at " + Arrays.toString(cuts) + ": " + split);
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void rawUtf8InsteadOfEscapesSplitAnywhereGivesTheSameMessage(String fixture) {
        byte[] raw = withRawUtf8(Fixtures.upstream(fixture));
        if (fixture.equals("text-stop-usage-last.sse")) {
            assertTrue(new String(raw, StandardCharsets.UTF_8).contains("caf\u00e9"), "the rewrite kept escapes");
        }
        Outcome escaped = aggregate(specFor(fixture), Fixtures.upstream(fixture));
        assertTrue(escaped.sameAs(aggregate(specFor(fixture), raw)), fixture + ": raw UTF-8 differs");
        assertEverySplitAgrees(fixture, raw);
    }

    private static void assertEverySplitAgrees(String fixture, byte[] body) {
        Outcome whole = aggregate(specFor(fixture), body);
        for (int cut = 1; cut < body.length; cut++) {
            Outcome split = aggregate(specFor(fixture), body, cut);
            if (!whole.sameAs(split)) {
                throw new AssertionError(fixture + " cut at byte " + cut + ":\n  whole " + whole + "\n  split " + split);
            }
        }
    }

    /** Rewrites every data line with non-ASCII characters as raw UTF-8 (Jackson writes them unescaped). */
    private static byte[] withRawUtf8(byte[] sse) {
        var out = new ByteArrayOutputStream();
        for (String line : new String(sse, StandardCharsets.UTF_8).split("\n", -1)) {
            String rewritten = line;
            if (line.startsWith("data: {")) {
                try {
                    JsonNode node = AnswerHarness.JSON.readTree(line.substring(6));
                    rewritten = "data: " + AnswerHarness.JSON.writeValueAsString(node);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            out.writeBytes((rewritten + "\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = out.toByteArray();
        return Arrays.copyOf(bytes, bytes.length - 1); // split added one line end too many
    }
}
