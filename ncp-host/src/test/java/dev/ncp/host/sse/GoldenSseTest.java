package dev.ncp.host.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ncp.host.pump.Attempt;
import dev.ncp.host.testing.AnswerHarness;
import dev.ncp.host.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exact bytes a streaming client receives for representative answers, checked byte for byte against
 * {@code src/test/resources/golden/}. After a deliberate change of the wire format, regenerate with
 * {@code -Dncp.golden.update=true} and review the diff.
 */
class GoldenSseTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of("text-stop-usage-last.sse", AnswerHarness.plainSpec(), 0, false),
                Arguments.of("text-stop-usage-last.sse", AnswerHarness.plainSpec(), 32, false),
                Arguments.of("text-then-tool-call.sse", AnswerHarness.plainSpec(), 0, false),
                Arguments.of("parallel-tool-calls-interleaved.sse", AnswerHarness.plainSpec(), 0, false),
                Arguments.of("reasoning-content-then-text.sse", AnswerHarness.reasoningSpec(), 0, false),
                Arguments.of("think-tags-in-content.sse", AnswerHarness.reasoningSpec(), 0, true),
                Arguments.of("truncated-no-done.sse", AnswerHarness.plainSpec(), 0, false));
    }

    static String goldenName(String fixture, int mergeLimit, boolean usageSnapshots) {
        return fixture.replace(".sse", "") + (mergeLimit > 0 ? ".merged" + mergeLimit : "")
                + (usageSnapshots ? ".usage-snapshots" : "") + ".sse";
    }

    @ParameterizedTest(name = "{0} merge={2} snapshots={3}")
    @MethodSource("answers")
    void streamedBytesMatchTheGoldenFile(String fixture, Attempt spec, int mergeLimit, boolean usageSnapshots)
            throws IOException {
        byte[] actual = AnswerHarness.sse(spec, AnswerHarness.chain(usageSnapshots), Fixtures.upstream(fixture),
                mergeLimit);
        Path golden = GOLDEN.resolve(goldenName(fixture, mergeLimit, usageSnapshots));
        if (Boolean.getBoolean("ncp.golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.write(golden, actual);
        }
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), new String(actual, StandardCharsets.UTF_8),
                golden + " differs; if the change is intended, rerun with -Dncp.golden.update=true");
    }
}
