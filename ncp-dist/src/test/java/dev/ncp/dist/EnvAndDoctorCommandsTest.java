package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
            assertFalse(ncp.stderr().contains(" INFO "), "no start-up log lines between the findings: " + ncp.stderr());
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

    @Test
    void doctorProbesEachNamedUpstreamAndModelsListsThemNeitherNeedingAnUnsetKey() throws Exception {
        try (var upstream = ScriptedUpstream.start(); var nimA = ScriptedUpstream.start()) {
            upstream.enqueue(Script.status(200, Map.of("content-type", "application/json"),
                    "{\"object\":\"list\",\"data\":[{\"id\":\"qwen/qwen3-coder-480b-a35b-instruct\"}]}"));
            nimA.enqueue(Script.status(200, Map.of("content-type", "application/json"),
                    "{\"object\":\"list\",\"data\":[{\"id\":\"acme/coder\"}]}"));
            Path models = Files.writeString(work.resolve("models.yaml"), """
                    upstreams:
                      nim-a: {base_url: "%s", api_key_env: NIM_A_KEY}
                      nim-b: {base_url: "http://127.0.0.1:9/v1", api_key_env: NIM_B_KEY, weight: 2}
                    models:
                      - id: acme/coder
                        upstreams: [nim-a, nim-b]
                    """.formatted(nimA.baseUrl()));
            var ncp = new BundleProcess(work).env("NVIDIA_BASE_URL", upstream.baseUrl().toString())
                    .env("NVIDIA_API_KEY", "nvapi-doctor-0123456789").env("NCP_CLAUDE_BIN", "/bin/sh")
                    .env("PROXY_PORT", String.valueOf(BundleProcess.freePort()))
                    .env("NCP_MODELS_FILE", models.toString()).env("NIM_A_KEY", "nim-a-doctor-key-0123456789");

            assertEquals(1, ncp.runToExit(List.of("doctor"), DEADLINE), ncp.stdout() + ncp.stderr());
            String out = ncp.stdout();
            assertTrue(out.contains("✓ upstream nim-a (openai, " + nimA.baseUrl() + ") answers (1 model) and accepts"
                    + " the key in NIM_A_KEY\n"), out);
            assertTrue(out.contains("✗ upstream nim-b (openai, http://127.0.0.1:9/v1): its key variable NIM_B_KEY is"
                    + " not set — fix: set NIM_B_KEY"), out);
            assertTrue(out.endsWith("1 problem to fix.\n"), out);
            assertEquals("Bearer nim-a-doctor-key-0123456789", nimA.requests().get(0).header("authorization"));

            assertEquals(0, ncp.runToExit(List.of("models"), DEADLINE), ncp.stderr());
            String table = ncp.stdout();
            assertTrue(table.lines().anyMatch(l -> l.startsWith("acme/coder ") && l.endsWith(" nim-a,nim-b×2")), table);
            assertTrue(table.contains("    nim-b            openai    http://127.0.0.1:9/v1"), table);
        }
    }
}
