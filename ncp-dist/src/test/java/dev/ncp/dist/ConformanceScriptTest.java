package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.testing.Fixtures;
import dev.ncp.host.testing.ScriptedUpstream;
import dev.ncp.host.testing.ScriptedUpstream.RecordedRequest;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.UpstreamRequestCheck;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code scripts/conformance-anthropic.sh}, run as a user runs it, against the bundle and a scripted upstream. */
class ConformanceScriptTest {

    private static final Path SCRIPT = BundleProcess.REPOSITORY_ROOT.resolve("scripts/conformance-anthropic.sh");

    @TempDir
    Path work;

    private ScriptedUpstream upstream;
    private BundleProcess ncp;

    private record Result(int exit, List<String> lines) {

        long count(String mark) {
            return lines.stream().filter(l -> l.startsWith(mark)).count();
        }
    }

    @BeforeEach
    void startUpstream() {
        upstream = ScriptedUpstream.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (ncp != null) {
            ncp.close();
        }
        upstream.close();
    }

    private String startNcp() throws Exception {
        ncp = new BundleProcess(work).env("NVIDIA_BASE_URL", upstream.baseUrl().toString())
                .env("NVIDIA_API_KEY", "nvapi-conformance-0123456789").start();
        return ncp.url("");
    }

    @Test
    void everyCheckPassesAgainstNcp() throws Exception {
        upstream.enqueue(Script.fixture("text-stop-usage-last.sse"))
                .enqueue(Script.fixture("text-stop-usage-last.sse"))
                .enqueue(Script.stream(Fixtures.resource("/fixtures/claude-code-e2e/get-weather-call.sse")))
                .enqueue(Script.fixture("text-stop-usage-last.sse"));

        Result result = runScript(startNcp());

        assertEquals(0, result.exit(), String.join("\n", result.lines()));
        assertEquals(6, result.count("✓ "), String.join("\n", result.lines()));
        assertEquals(0, result.count("✗ "));
        assertEquals("6 passed, 0 failed", result.lines().get(result.lines().size() - 1));

        List<RecordedRequest> requests = upstream.requests();
        assertEquals(4, requests.size(), "plain, stream, tool call, tool result");
        requests.forEach(r -> UpstreamRequestCheck.assertWellFormed(r.json()));
        JsonNode toolCall = requests.get(2).json();
        assertEquals("get_weather", toolCall.path("tools").path(0).path("function").path("name").asText());
        JsonNode toolResult = requests.get(3).json().path("messages");
        JsonNode last = toolResult.get(toolResult.size() - 1);
        assertEquals("tool", last.path("role").asText(), toolResult.toString());
        assertEquals("chatcmpl-tool-g6", last.path("tool_call_id").asText(), "the toolu_ id maps back upstream");
        assertTrue(last.path("content").toString().contains("18 °C and sunny"), last.toString());
    }

    @Test
    void anUpstreamThatFailsShowsAsFailedChecksAndExitsNonZero() throws Exception {
        upstream.fallback(Script.error("nim-503-overloaded"));

        Result result = runScript(startNcp());

        assertEquals(1, result.exit(), String.join("\n", result.lines()));
        // Models, count_tokens and the error shape are ncp's own; the three that need the model fail.
        assertEquals(3, result.count("✓ "), String.join("\n", result.lines()));
        assertEquals(List.of("✗ POST /v1/messages (plain)", "✗ POST /v1/messages (stream)", "✗ tool round trip"),
                result.lines().stream().filter(l -> l.startsWith("✗ ")).map(l -> l.split(" — ")[0]).toList());
    }

    @Test
    void nothingListeningFailsEveryCheck() throws Exception {
        Result result = runScript("http://127.0.0.1:" + BundleProcess.freePort());

        assertEquals(1, result.exit());
        assertEquals(6, result.count("✗ "), String.join("\n", result.lines()));
        assertTrue(result.lines().get(1).contains("no answer"), result.lines().get(1));
    }

    private Result runScript(String baseUrl) throws Exception {
        Path out = work.resolve("conformance.out");
        var builder = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).redirectInput(new File("/dev/null"));
        builder.environment().keySet().removeIf(k -> k.startsWith("ANTHROPIC_") || k.startsWith("CONFORMANCE_"));
        builder.environment().put("ANTHROPIC_BASE_URL", baseUrl);
        builder.environment().put("CONFORMANCE_TIMEOUT", "30");
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the script did not finish: " + Files.readString(out));
        }
        return new Result(process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8));
    }
}
