package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.ScriptedUpstream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle's everyday commands as a user types them: {@code ncp code} with Claude Code's own flags (a stand-in
 * {@code claude} records what it was given), the background lifecycle ({@code start}, {@code status}, {@code ui},
 * {@code stop}), configuration mistakes and sources, completion, models and env.
 */
class CliCommandsBundleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String UPSTREAM_KEY = "nvapi-cli-0123456789abcdef";

    @TempDir
    Path work;

    private Path project;
    private Path recorded;
    private Path claude;
    private ScriptedUpstream upstream;
    private BundleProcess ncp;
    private int port;

    @BeforeEach
    void setUp() throws IOException {
        project = Files.createDirectories(work.resolve("project"));
        recorded = work.resolve("claude-args.txt");
        // A stand-in for Claude Code: one argument per line, then the base URL it was pointed at.
        claude = Files.writeString(work.resolve("claude"), """
                #!/bin/sh
                printf '%%s\\n' "$@" > '%1$s'
                printf 'ANTHROPIC_BASE_URL=%%s\\n' "$ANTHROPIC_BASE_URL" >> '%1$s'
                printf 'ANTHROPIC_API_KEY=%%s\\n' "${ANTHROPIC_API_KEY:-unset}" >> '%1$s'
                """.formatted(recorded));
        assertTrue(claude.toFile().setExecutable(true));
        upstream = ScriptedUpstream.start().fallback(Script.fixture("text-stop-usage-last.sse"));
        port = BundleProcess.freePort();
        ncp = new BundleProcess(work).directory(project)
                .env("NCP_CLAUDE_BIN", claude.toString())
                .env("NVIDIA_BASE_URL", upstream.baseUrl().toString())
                .env("NVIDIA_API_KEY", UPSTREAM_KEY)
                .env("ANTHROPIC_API_KEY", "sk-ant-real-key-must-not-travel")
                .env("PROXY_PORT", String.valueOf(port));
    }

    @AfterEach
    void tearDown() throws Exception {
        ncp.runToExit(List.of("stop"), DEADLINE); // a background proxy a failed test left behind
        upstream.close();
    }

    private List<String> claudeSaw() throws IOException {
        return Files.readAllLines(recorded);
    }

    @Test
    void ncpCodeHandsClaudesOwnFlagsToClaudeUnchangedAndInOrder() throws Exception {
        assertEquals(0, ncp.runToExit(List.of("code", "-p", "explain this"), DEADLINE), ncp.stderr());
        assertEquals(List.of("-p", "explain this", "ANTHROPIC_BASE_URL=http://127.0.0.1:" + port,
                "ANTHROPIC_API_KEY=unset"), claudeSaw());

        assertEquals(0, ncp.runToExit(List.of("code", "--continue"), DEADLINE), ncp.stderr());
        assertEquals("--continue", claudeSaw().get(0));
        assertEquals(3, claudeSaw().size(), claudeSaw().toString());

        assertEquals(0, ncp.runToExit(List.of("code", "--model", "claude-qwen3-coder", "-r", "abc", "--",
                "--model", "opus"), DEADLINE), ncp.stderr());
        assertEquals(List.of("-r", "abc", "--model", "opus"), claudeSaw().subList(0, 4));
        assertTrue(ncp.stderr().contains("every request → claude-qwen3-coder"), ncp.stderr());
    }

    @Test
    void startStatusUiCodeAndStopWorkOnOneBackgroundProxy() throws Exception {
        assertEquals(0, ncp.runToExit(List.of("start"), DEADLINE), ncp.stderr());
        String url = "http://127.0.0.1:" + port;
        assertTrue(ncp.stdout().contains("ncp started in the background (pid "), ncp.stdout());
        assertTrue(ncp.stdout().contains(url + "/dashboard/stream"), ncp.stdout());
        HttpClient http = HttpClient.newHttpClient();
        assertEquals(200, get(http, url + "/health").statusCode());

        assertEquals(1, ncp.runToExit(List.of("start"), DEADLINE), "a second start on the same port is refused");
        assertTrue(ncp.stderr().contains("ncp already runs on " + url), ncp.stderr());
        assertEquals(2, ncp.runToExit(List.of("proxy"), DEADLINE), "so is a foreground one");
        assertTrue(ncp.stderr().startsWith("ncp: an ncp already runs on " + url), ncp.stderr());

        assertEquals(0, ncp.runToExit(List.of("status"), DEADLINE), ncp.stderr());
        String status = ncp.stdout();
        assertTrue(status.startsWith("ncp " + System.getProperty("ncp.version") + " is running on " + url + " (pid "),
                status);
        assertTrue(status.contains("  storage:   sqlite, healthy"), status);
        assertTrue(status.contains("  requests:  0 answered since start"), status);

        assertEquals(0, ncp.runToExit(List.of("ui", "--print"), DEADLINE), ncp.stderr());
        String dashboard = ncp.stdout().strip();
        assertTrue(dashboard.startsWith(url + "/dashboard/stream?token="), dashboard);
        HttpResponse<String> page = get(http, dashboard);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<html") || page.body().contains("<!DOCTYPE"), page.body());

        String token = dashboard.substring(dashboard.indexOf("?token="));
        HttpResponse<String> home = get(http, url + "/" + token);
        assertEquals(302, home.statusCode(), "GET / leads a browser to the dashboard");
        assertEquals("/dashboard/stream" + token, home.headers().firstValue("location").orElseThrow());

        String pidBefore = Files.readString(ncp.home().resolve(".ncp/run/ncp-" + port + ".pid")).strip();
        assertEquals(0, ncp.runToExit(List.of("restart"), DEADLINE), ncp.stderr());
        assertTrue(ncp.stdout().contains("ncp stopped.") && ncp.stdout().contains("ncp started in the background"),
                ncp.stdout());
        String pidAfter = Files.readString(ncp.home().resolve(".ncp/run/ncp-" + port + ".pid")).strip();
        assertFalse(pidBefore.equals(pidAfter), "restart started a new process");

        assertEquals(0, ncp.runToExit(List.of("code", "-p", "hi"), DEADLINE), ncp.stderr());
        assertEquals(List.of("-p", "hi", "ANTHROPIC_BASE_URL=" + url, "ANTHROPIC_API_KEY=unset"), claudeSaw());
        assertTrue(ncp.stderr().contains("ncp: using the ncp " + System.getProperty("ncp.version")
                + " already running on " + url), ncp.stderr());
        assertEquals(200, get(http, url + "/health").statusCode(), "ncp code left the running proxy running");

        ncp.runToExit(List.of("doctor"), DEADLINE); // its exit code is the upstream's and Claude Code's business
        assertTrue(ncp.stdout().contains("✓ port " + port + " on 127.0.0.1: ncp "), ncp.stdout());

        // An answer in flight when the stop comes finishes before the proxy exits.
        upstream.enqueue(Script.fixture("text-stop-usage-last.sse").chunked(128, Duration.ofMillis(300)));
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(HttpRequest.newBuilder(
                        URI.create(url + "/v1/messages")).header("content-type", "application/json")
                .header("anthropic-version", "2023-06-01").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"stream\":true,"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (upstream.requests().isEmpty() && System.nanoTime() < waitUntil) {
            Thread.sleep(20);
        }
        assertFalse(answer.isDone(), "the answer is still streaming when the stop begins");
        assertEquals(0, ncp.runToExit(List.of("stop"), DEADLINE), ncp.stderr());
        assertTrue(ncp.stdout().contains("ncp stopped."), ncp.stdout());
        assertTrue(answer.isDone(), "ncp stop returned only after the answer in flight ended");
        HttpResponse<String> streamed = answer.get();
        assertEquals(200, streamed.statusCode());
        assertTrue(streamed.body().contains("event: message_stop"), streamed.body());

        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
        assertEquals(3, ncp.runToExit(List.of("status"), DEADLINE));
        assertEquals("ncp is not running on " + url + ".", ncp.stdout().strip());
        assertEquals(0, ncp.runToExit(List.of("logs", "--lines", "0"), DEADLINE), ncp.stderr());
        assertEquals(Files.readString(ncp.home().resolve(".ncp/logs/ncp-" + port + ".log")), ncp.stdout());
        assertEquals(2, ncp.stdout().lines().filter(l -> l.equals("ncp " + System.getProperty("ncp.version")
                + " listening on " + url)).count(), "both starts logged: " + ncp.stdout());
    }

    @Test
    void aMistypedSettingStopsConfigCheckAndTheProxyNamingIt() throws Exception {
        Path file = Files.writeString(work.resolve("typo.yaml"), "STORAGE_ENGINE: memory\nPROXY_PROT: 9000\n");
        for (List<String> command : List.of(List.of("config", "check", "--config", file.toString()),
                List.of("proxy", "--config", file.toString()))) {
            assertEquals(2, ncp.runToExit(command, DEADLINE), command + ": " + ncp.stderr());
            assertEquals("ncp: " + file + ": unknown setting PROXY_PROT (did you mean PROXY_PORT?)",
                    ncp.stderr().strip(), command.toString());
        }
        Files.writeString(file, "STORAGE_ENGINE: memory\nPROXY_PORT: 9000\n");
        assertEquals(0, ncp.runToExit(List.of("config", "check", "--config", file.toString()), DEADLINE),
                ncp.stderr());
        assertTrue(ncp.stdout().startsWith("Configuration OK: ncp would listen on http://127.0.0.1:" + port
                + " with storage memory"), ncp.stdout());
    }

    @Test
    void aDotEnvInTheWorkingDirectoryShowsUpInConfigShowWithItsSource() throws Exception {
        Path dotEnv = Files.writeString(project.resolve(".env"), "RATE_LIMIT_RPM=17\nLOG_LEVEL=WARNING\n"
                + "PROXY_API_KEY=sk-ncp-dotenv-secret-0123456789\n");
        assertEquals(0, ncp.runToExit(List.of("config", "show", "--storage", "memory"), DEADLINE), ncp.stderr());
        String shown = ncp.stdout();
        assertTrue(shown.lines().anyMatch(l -> l.matches("RATE_LIMIT_RPM +17 +\\.env " + dotEnv)), shown);
        assertTrue(shown.lines().anyMatch(l -> l.matches("NCP_LOG_LEVEL +warn +\\.env " + dotEnv)), shown);
        assertTrue(shown.lines().anyMatch(l -> l.matches("STORAGE_ENGINE +memory +flag")), shown);
        assertTrue(shown.lines().anyMatch(l -> l.matches("NVIDIA_API_KEY +nvap…cdef +environment")), shown);
        assertTrue(shown.lines().anyMatch(l -> l.matches("PROXY_API_KEY +sk-n…6789 +\\.env " + dotEnv)), shown);
        assertTrue(shown.lines().anyMatch(l -> l.matches("NCP_MAX_TOOLS +1000 +default")), shown);
        assertTrue(shown.contains("    Global request limit per minute; 0 disables it."), shown);
        assertFalse(shown.contains("dotenv-secret"), "a secret in clear");
    }

    @Test
    void completionModelsEnvAndTheExampleConfigFile() throws Exception {
        assertEquals(0, ncp.runToExit(List.of("completion", "bash"), DEADLINE), ncp.stderr());
        String bash = ncp.stdout();
        Path script = Files.writeString(work.resolve("ncp-completion.bash"), bash);
        // What bash does on `ncp sta<TAB>`: the completion function fills COMPREPLY.
        Process complete = new ProcessBuilder("bash", "-c", "source '" + script + "'; COMP_WORDS=(ncp sta);"
                + " COMP_CWORD=1; COMP_LINE='ncp sta'; COMP_POINT=7; _complete_ncp ncp sta ncp;"
                + " echo \"${COMPREPLY[@]}\"").redirectErrorStream(true).start();
        String offered = new String(complete.getInputStream().readAllBytes()).strip();
        assertEquals(0, complete.waitFor(), offered);
        assertEquals("start status", offered);

        // In a C locale Java would encode the console as ASCII ('?' for '→'); ncp writes UTF-8 whatever the locale.
        ncp.env("LC_ALL", "C").env("LANG", "C");
        assertEquals(0, ncp.runToExit(List.of("models"), DEADLINE), ncp.stderr());
        String table = ncp.stdout();
        assertTrue(table.startsWith("ID "), table);
        assertTrue(table.contains("Claude names: opus → qwen/qwen3-coder-480b-a35b-instruct"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("qwen/qwen3-coder-480b-a35b-instruct ")), table);
        assertEquals(0, ncp.runToExit(List.of("models", "--json"), DEADLINE), ncp.stderr());
        JsonNode models = JSON.readTree(ncp.stdout());
        assertTrue(models.isArray() && models.size() > 5, ncp.stdout());
        JsonNode maverick = null;
        for (JsonNode m : models) {
            if (m.path("id").asText().equals("meta/llama-4-maverick-17b-128e-instruct")) {
                maverick = m;
            }
        }
        assertTrue(maverick != null && maverick.path("vision").asBoolean()
                && maverick.path("context_window").asInt() > 0, String.valueOf(maverick));

        assertEquals(0, ncp.runToExit(List.of("env"), DEADLINE), ncp.stderr());
        assertTrue(ncp.stdout().startsWith("unset ANTHROPIC_API_KEY\nexport ANTHROPIC_BASE_URL='http://127.0.0.1:"
                + port + "'\n"), ncp.stdout());

        assertEquals(0, ncp.runToExit(List.of("config", "example"), DEADLINE), ncp.stderr());
        assertEquals(ncp.stdout(), Files.readString(BundleProcess.BUILT_BUNDLE.resolve("conf/config.example.yaml")),
                "the bundle's example is the settings table's");
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
