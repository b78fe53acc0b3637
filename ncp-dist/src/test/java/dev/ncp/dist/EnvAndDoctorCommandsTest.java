package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.ScriptedUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/ncp env} and {@code bin/ncp doctor}, run from the bundle as a user runs them. */
class EnvAndDoctorCommandsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @Test
    void envPrintsWhatAShellEvaluatesToPointClaudeCodeAtNcp() throws Exception {
        var ncp = new BundleProcess(work).env("PROXY_API_KEY", "sk-ncp-env-0123456789");
        assertEquals(0, ncp.runToExit(List.of("env", "--port", "9123", "--model", "qwen/qwen3-coder-480b-a35b-instruct"),
                DEADLINE), ncp.stderr());

        Path script = work.resolve("eval.sh");
        Files.writeString(script, "eval \"$(cat '" + work.resolve("env.out") + "')\"\n"
                + "printf '%s %s %s' \"$ANTHROPIC_BASE_URL\" \"$ANTHROPIC_AUTH_TOKEN\" \"$CLAUDE_CODE_SUBAGENT_MODEL\"\n");
        Files.writeString(work.resolve("env.out"), ncp.stdout());
        Process bash = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
        String evaluated = new String(bash.getInputStream().readAllBytes());
        assertEquals(0, bash.waitFor(), evaluated);
        assertEquals("http://127.0.0.1:9123 sk-ncp-env-0123456789 qwen/qwen3-coder-480b-a35b-instruct", evaluated);
        assertEquals(9, ncp.stdout().lines().count(), ncp.stdout());
        assertEquals("unset ANTHROPIC_API_KEY", ncp.stdout().lines().findFirst().orElseThrow());
    }

    @Test
    void doctorPassesOnAWorkingSetupWithTheShippedPlugins() throws Exception {
        try (var upstream = ScriptedUpstream.start()) {
            upstream.enqueue(Script.status(200, Map.of("content-type", "application/json"),
                    "{\"object\":\"list\",\"data\":[{\"id\":\"qwen/qwen3-coder-480b-a35b-instruct\"}]}"));
            Path claude = Files.writeString(work.resolve("claude"), "#!/bin/sh\n");
            assertTrue(claude.toFile().setExecutable(true));
            var ncp = new BundleProcess(work).env("NVIDIA_BASE_URL", upstream.baseUrl().toString())
                    .env("NVIDIA_API_KEY", "nvapi-doctor-0123456789").env("NCP_CLAUDE_BIN", claude.toString())
                    .env("PROXY_PORT", String.valueOf(BundleProcess.freePort()));

            int exit = ncp.runToExit(List.of("doctor"), DEADLINE);

            String out = ncp.stdout();
            assertEquals(0, exit, out + ncp.stderr());
            assertEquals(8, out.lines().count(), out);
            assertTrue(out.lines().limit(7).allMatch(l -> l.startsWith("✓ ")), out);
            assertTrue(out.contains("✓ storage sqlite opens and is healthy"), out);
            String plugins = out.lines().filter(l -> l.startsWith("✓ plugins loaded: ")).findFirst().orElse("");
            for (String id : List.of("model-nemotron", "model-qwen", "storage-sqlite", "storage-redis")) {
                assertTrue(plugins.contains(id + " "), "missing " + id + " in: " + plugins);
            }
            assertTrue(out.contains("(1 model) and accepts the key"), out);
            assertTrue(out.endsWith("All checks passed.\n"), out);
        }
    }

    @Test
    void doctorExitsOneAndNamesTheFixWhenTheKeyIsRejected() throws Exception {
        try (var upstream = ScriptedUpstream.start()) {
            upstream.enqueue(Script.error("openai-style-401"));
            var ncp = new BundleProcess(work).env("NVIDIA_BASE_URL", upstream.baseUrl().toString())
                    .env("NVIDIA_API_KEY", "nvapi-revoked-0123456789").env("NCP_CLAUDE_BIN", "/nonexistent/claude")
                    .env("PROXY_PORT", String.valueOf(BundleProcess.freePort()));

            assertEquals(1, ncp.runToExit(List.of("doctor"), DEADLINE));

            String out = ncp.stdout();
            assertTrue(out.contains("✗ upstream " + upstream.baseUrl() + "/models rejects the key (HTTP 401) — fix: "),
                    out);
            assertTrue(out.contains("✗ Claude Code is not at NCP_CLAUDE_BIN=/nonexistent/claude"), out);
            assertTrue(out.endsWith("2 problems to fix.\n"), out);
        }
    }
}
