package dev.ncp.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ncp env}'s lines survive {@code eval} whatever the values hold. */
class ShellSyntaxTest {

    private static final Map<String, String> VARIABLES = new LinkedHashMap<>(Map.of(
            "ANTHROPIC_BASE_URL", "http://127.0.0.1:8788"));

    static {
        VARIABLES.put("ANTHROPIC_AUTH_TOKEN", "it's $HOME `x` \\ \"q\"");
    }

    @TempDir
    Path dir;

    @Test
    void shLinesAreExportsWithSingleQuotes() {
        assertEquals("export ANTHROPIC_BASE_URL='http://127.0.0.1:8788'\n"
                + "export ANTHROPIC_AUTH_TOKEN='it'\\''s $HOME `x` \\ \"q\"'\n", ShellSyntax.of("bash").lines(VARIABLES));
    }

    @Test
    void bashEvaluatesThemToTheExactValues() throws Exception {
        Path script = dir.resolve("env.sh");
        Files.writeString(script, ShellSyntax.of("sh").lines(VARIABLES)
                + "printf '%s|%s' \"$ANTHROPIC_BASE_URL\" \"$ANTHROPIC_AUTH_TOKEN\"\n");
        Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertEquals("http://127.0.0.1:8788|it's $HOME `x` \\ \"q\"", out);
    }

    @Test
    void fishLinesAreSetGx() {
        assertEquals("set -gx ANTHROPIC_BASE_URL 'http://127.0.0.1:8788'\n"
                + "set -gx ANTHROPIC_AUTH_TOKEN 'it\\'s $HOME `x` \\\\ \"q\"'\n", ShellSyntax.of("fish").lines(VARIABLES));
    }

    @Test
    void anUnknownShellIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ShellSyntax.of("powershell"));
    }
}
