package dev.ncp.host.claudecode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Claude Code is given to talk to ncp, and how its executable is found. */
class ClaudeCodeEnvironmentTest {

    @TempDir
    Path dir;

    @Test
    void withoutAModelOnlyTheEndpointAndTokenAreSetSoTheFamilyMappingApplies() {
        assertEquals(Map.of("ANTHROPIC_BASE_URL", "http://127.0.0.1:8788", "ANTHROPIC_AUTH_TOKEN", "ncp"),
                ClaudeCodeEnvironment.forProxy("http://127.0.0.1:8788", Optional.empty(), Optional.empty(),
                        Optional.empty()));
    }

    @Test
    void aChosenModelGoesToEveryClaudeCodeRoleAndTheProxyKeyIsTheToken() {
        var env = ClaudeCodeEnvironment.forProxy("http://127.0.0.1:9000", Optional.of("sk-proxy"),
                Optional.of("moonshotai/kimi-k2-instruct"), Optional.of(8192));
        assertEquals(List.of("ANTHROPIC_BASE_URL", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_DEFAULT_OPUS_MODEL",
                "ANTHROPIC_DEFAULT_SONNET_MODEL", "ANTHROPIC_DEFAULT_HAIKU_MODEL", "CLAUDE_CODE_SUBAGENT_MODEL",
                "ANTHROPIC_CUSTOM_MODEL_OPTION", "ANTHROPIC_CUSTOM_MODEL_OPTION_NAME",
                "CLAUDE_CODE_MAX_OUTPUT_TOKENS"), List.copyOf(env.keySet()));
        assertEquals("sk-proxy", env.get("ANTHROPIC_AUTH_TOKEN"));
        for (String role : List.of("ANTHROPIC_DEFAULT_OPUS_MODEL", "ANTHROPIC_DEFAULT_SONNET_MODEL",
                "ANTHROPIC_DEFAULT_HAIKU_MODEL", "CLAUDE_CODE_SUBAGENT_MODEL", "ANTHROPIC_CUSTOM_MODEL_OPTION")) {
            assertEquals("moonshotai/kimi-k2-instruct", env.get(role), role);
        }
        assertEquals("moonshotai/kimi-k2-instruct (NVIDIA NIM via ncp)", env.get("ANTHROPIC_CUSTOM_MODEL_OPTION_NAME"));
        assertEquals("8192", env.get("CLAUDE_CODE_MAX_OUTPUT_TOKENS"));
    }

    @Test
    void ncpClaudeBinWinsOverPath() throws IOException {
        Path explicit = executable(dir.resolve("explicit/claude"));
        Path onPath = executable(dir.resolve("bin/claude"));
        assertEquals(new ClaudeExecutable.Found(explicit), ClaudeExecutable.locate(
                Map.of("NCP_CLAUDE_BIN", explicit.toString(), "PATH", onPath.getParent().toString())));
        assertEquals(new ClaudeExecutable.Found(onPath), ClaudeExecutable.locate(
                Map.of("PATH", dir.resolve("nothing-here") + ":" + onPath.getParent())));
    }

    @Test
    void aMissingClaudeSaysHowToInstallIt() throws IOException {
        Path notExecutable = Files.createFile(dir.resolve("claude"));
        var viaPath = ClaudeExecutable.locate(Map.of("PATH", dir.toString()));
        assertEquals("Claude Code (claude) is not installed or not on PATH. Install it with: "
                + "npm install -g @anthropic-ai/claude-code (or set NCP_CLAUDE_BIN to its path).",
                ((ClaudeExecutable.Missing) viaPath).message());
        var viaEnv = ClaudeExecutable.locate(Map.of("NCP_CLAUDE_BIN", notExecutable.toString()));
        assertTrue(((ClaudeExecutable.Missing) viaEnv).message()
                .startsWith("Claude Code is not at NCP_CLAUDE_BIN=" + notExecutable + " (not an executable file)"));
    }

    private static Path executable(Path path) throws IOException {
        Files.createDirectories(path.getParent());
        Files.writeString(path, "#!/bin/sh\n");
        assertTrue(path.toFile().setExecutable(true));
        return path;
    }
}
