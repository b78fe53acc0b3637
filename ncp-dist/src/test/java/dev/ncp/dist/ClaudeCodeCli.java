package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Claude Code CLI — the pinned version {@code .ci/install-deps} installs — run once to completion in a
 * project directory, with a private HOME, no traffic of its own (telemetry, updates) and a deadline.
 */
final class ClaudeCodeCli {

    /** Where {@code .ci/install-deps} installs the pinned Claude Code, relative to the repository root. */
    static final String INSTALLED = ".ci/.cache/claude-code/claude";
    /** One run of Claude Code against the scripted upstream takes about a second; this is only the no-hang bound. */
    static final Duration DEADLINE = Duration.ofSeconds(90);

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClaudeCodeCli() {
    }

    /** What a run left behind. */
    record Run(int exit, String stdout, String stderr, Duration took) {

        /** The single JSON object {@code --output-format json} prints. */
        JsonNode result() {
            try {
                return JSON.readTree(stdout);
            } catch (IOException e) {
                return fail("Claude Code did not print one JSON object (exit " + exit + "): " + this);
            }
        }

        /** The events {@code --output-format stream-json} prints, one JSON object a line. */
        List<JsonNode> events() {
            List<JsonNode> events = new ArrayList<>();
            for (String line : stdout.lines().filter(l -> !l.isBlank()).toList()) {
                try {
                    events.add(JSON.readTree(line));
                } catch (IOException e) {
                    fail("not a stream-json line: " + line);
                }
            }
            return events;
        }

        @Override
        public String toString() {
            return "exit " + exit + " after " + took.toMillis() + " ms\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }

    /**
     * The Claude Code executable: {@code NCP_CLAUDE_BIN}, else the one {@code .ci/install-deps} installs. Missing is a
     * test failure that says how to install it, never a skip: these tests are the proof that ncp works for its users.
     */
    static Path executable() {
        String explicit = System.getenv("NCP_CLAUDE_BIN");
        Path path = explicit != null && !explicit.isBlank() ? Path.of(explicit)
                : BundleProcess.REPOSITORY_ROOT.resolve(INSTALLED);
        if (!Files.isExecutable(path)) {
            fail("Claude Code is not installed at " + path + ": run .ci/install-deps (it installs the pinned"
                    + " @anthropic-ai/claude-code into .ci/.cache/claude-code) or set NCP_CLAUDE_BIN to a claude"
                    + " binary.");
        }
        return path;
    }

    /** The environment every run gets: a private HOME, and Claude Code talking to nobody but {@code baseUrl}. */
    static Map<String, String> environment(Path home, String baseUrl) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("ANTHROPIC_BASE_URL", baseUrl);
        env.put("ANTHROPIC_AUTH_TOKEN", "ncp");
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        return env;
    }

    /** Runs {@code command} (its first element the executable) in {@code directory}; fails after the deadline. */
    static Run run(Path directory, Map<String, String> env, List<String> command)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(BundleProcess.logDirectory(), "claude-out", ".log");
        Path err = Files.createTempFile(BundleProcess.logDirectory(), "claude-err", ".log");
        var builder = new ProcessBuilder(command).directory(directory.toFile())
                // -p reads piped stdin until EOF before it starts: give it an empty one.
                .redirectInput(new File("/dev/null"))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        // Nothing from the developer's own setup may leak in (a real key, a model override, another base URL).
        builder.environment().keySet().removeIf(k -> k.startsWith("ANTHROPIC_") || k.startsWith("CLAUDE_")
                || k.startsWith("NVIDIA_") || k.startsWith("NCP_") || k.startsWith("PROXY_"));
        builder.environment().putAll(env);
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
            fail("Claude Code did not finish within " + DEADLINE + " (hung): stdout " + Files.readString(out)
                    + "\nstderr " + Files.readString(err));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err), took);
    }
}
