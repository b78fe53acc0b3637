package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.testing.ScriptedUpstream;
import dev.ncp.host.testing.ScriptedUpstream.RecordedRequest;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.UpstreamRequestCheck;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/ncp code}: the proxy started in-process and the real Claude Code CLI launched against it, with only
 * NVIDIA simulated ({@link ScriptedUpstream}); and each way it refuses to start, in one line.
 */
class NcpCodeCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UPSTREAM_KEY = "nvapi-e2e-0123456789abcdef";

    @TempDir
    Path work;

    private Path project;
    private ScriptedUpstream upstream;

    @BeforeEach
    void start() throws Exception {
        project = Files.createDirectories(work.resolve("project"));
        upstream = ScriptedUpstream.start().fallback(Script.fixture("text-stop-usage-last.sse"));
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    @Test
    void ncpCodeLaunchesClaudeCodeAgainstItsOwnProxyAndReturnsItsExitCode() throws Exception {
        String model = "meta/llama-3.3-70b-instruct";
        upstream.enqueue(Script.fixture("text-stop-usage-last.sse"));
        try (var busy = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            var code = new BundleProcess(work).directory(project)
                    .env("NCP_CLAUDE_BIN", ClaudeCodeCli.executable().toString())
                    .env("NVIDIA_BASE_URL", upstream.baseUrl().toString())
                    .env("NVIDIA_API_KEY", UPSTREAM_KEY)
                    .env("PROXY_PORT", String.valueOf(busy.getLocalPort()))
                    .env("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1")
                    .env("DISABLE_AUTOUPDATER", "1");
            long start = System.nanoTime();
            int exit = code.runToExit(List.of("code", "--model", model, "--", "-p", "Say hello.",
                    "--output-format", "json"), ClaudeCodeCli.DEADLINE);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertEquals(0, exit, code.stderr());
            JsonNode result = JSON.readTree(code.stdout());
            assertEquals(fixtureText("text-stop-usage-last.sse"), result.path("result").asText(), code.stdout());
            assertTrue(code.stderr().contains("port " + busy.getLocalPort() + " on 127.0.0.1 is in use"),
                    code.stderr());
            assertTrue(code.stderr().contains("every request → " + model), code.stderr());
            assertEquals(2, code.stderr().lines().filter(l -> l.startsWith("ncp: ")).count(), code.stderr());
            assertFalse(code.stderr().contains("SQLite storage at"), "proxy logs in the terminal: " + code.stderr());
            assertTrue(Files.readString(code.home().resolve(".ncp/logs/ncp-code.log")).contains("SQLite storage at"),
                    "the proxy's log lines went to the log file");
            assertTrue(took.compareTo(ClaudeCodeCli.DEADLINE) < 0);
        }
        RecordedRequest request = firstUpstreamRequest();
        assertEquals(model, request.json().path("model").asText(), "--model reached every Claude Code role");
        assertEquals("Bearer " + UPSTREAM_KEY, request.header("authorization"));
        for (RecordedRequest r : upstream.requests()) {
            UpstreamRequestCheck.assertWellFormed(r.json());
        }
    }

    @Test
    void ncpCodePassesClaudeCodesNonZeroExitCodeThroughAndReleasesThePort() throws Exception {
        Path sawHealth = work.resolve("health.json");
        Path fakeClaude = executable(work.resolve("failing-claude"), """
                #!/bin/sh
                # Claude Code failing after it talked to the proxy: the proxy answers, then exit 3.
                curl -fsS "$ANTHROPIC_BASE_URL/health" > '%s' || exit 99
                exit 3
                """.formatted(sawHealth));
        int port = BundleProcess.freePort();
        var code = new BundleProcess(work).directory(project)
                .env("NCP_CLAUDE_BIN", fakeClaude.toString())
                .env("NVIDIA_BASE_URL", upstream.baseUrl().toString())
                .env("NVIDIA_API_KEY", UPSTREAM_KEY)
                .env("PROXY_PORT", String.valueOf(port));

        assertEquals(3, code.runToExit(List.of("code", "--", "-p", "Say hello."), ClaudeCodeCli.DEADLINE),
                code.stderr());
        assertEquals("ok", JSON.readTree(sawHealth.toFile()).path("status").asText(), "the proxy served Claude Code");
        assertTrue(code.stderr().contains("ncp: proxy on http://127.0.0.1:" + port + " "), code.stderr());
        try (var again = new ServerSocket(port, 50, java.net.InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort(), "the proxy released its port when Claude Code exited");
        }
    }

    @Test
    void ncpCodeWithACorruptSqliteFileSaysSoInOneLine() throws Exception {
        Path db = work.resolve("ncp.db"); // BundleProcess points NCP_SQLITE_PATH here
        Files.writeString(db, "this is not a database, but it is long enough to look like a header".repeat(100));
        var code = new BundleProcess(work).directory(project)
                .env("NCP_CLAUDE_BIN", ClaudeCodeCli.executable().toString())
                .env("NVIDIA_BASE_URL", upstream.baseUrl().toString())
                .env("NVIDIA_API_KEY", UPSTREAM_KEY);

        assertEquals(2, code.runToExit(List.of("code", "--", "-p", "Say hello."), Duration.ofSeconds(60)));
        assertEquals(1, code.stderr().strip().lines().count(), code.stderr());
        assertTrue(code.stderr().startsWith("ncp: The file " + db + " is not a usable SQLite database"),
                code.stderr());
        assertTrue(upstream.requests().isEmpty(), "Claude Code never started");
    }

    @Test
    void ncpCodeThatCannotListenSaysSoInOneLine() throws Exception {
        // TEST-NET-1: an address no machine of ours has, so binding it fails ("Cannot assign requested address").
        var code = new BundleProcess(work).directory(project)
                .env("NCP_CLAUDE_BIN", ClaudeCodeCli.executable().toString())
                .env("NVIDIA_BASE_URL", upstream.baseUrl().toString())
                .env("NVIDIA_API_KEY", UPSTREAM_KEY)
                .env("PROXY_API_KEY", "sk-ncp-e2e-0123456789abcdef")
                .env("PROXY_HOST", "192.0.2.1");

        assertEquals(2, code.runToExit(List.of("code", "--", "-p", "Say hello."), Duration.ofSeconds(60)));
        assertEquals(1, code.stderr().strip().lines().count(), code.stderr());
        assertTrue(code.stderr().startsWith("ncp: cannot listen on 192.0.2.1:8788 ("), code.stderr());
        assertTrue(code.stderr().contains("PROXY_PORT"), code.stderr());
    }

    @Test
    void ncpCodeWithAProxyKeyAndMaxTokensAuthenticatesClaudeCodeAndCapsEveryRequest() throws Exception {
        String proxyKey = "sk-ncp-e2e-proxy-0123456789abcdef";
        int cap = 1000;
        upstream.enqueue(Script.fixture("text-stop-usage-last.sse"));
        var code = new BundleProcess(work).directory(project)
                .env("NCP_CLAUDE_BIN", ClaudeCodeCli.executable().toString())
                .env("NVIDIA_BASE_URL", upstream.baseUrl().toString())
                .env("NVIDIA_API_KEY", UPSTREAM_KEY)
                .env("PROXY_API_KEY", proxyKey)
                .env("PROXY_PORT", String.valueOf(BundleProcess.freePort()))
                .env("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1")
                .env("DISABLE_AUTOUPDATER", "1");

        int exit = code.runToExit(List.of("code", "--max-tokens", String.valueOf(cap), "--", "-p", "Say hello.",
                "--output-format", "json"), ClaudeCodeCli.DEADLINE);

        assertEquals(0, exit, code.stderr() + code.stdout());
        assertEquals(fixtureText("text-stop-usage-last.sse"), JSON.readTree(code.stdout()).path("result").asText(),
                code.stdout());
        String log = Files.readString(code.home().resolve(".ncp/logs/ncp-code.log"));
        assertTrue(log.contains("\"POST /v1/messages\"") && !log.contains("status=401"),
                "Claude Code authenticated with the proxy key: " + log);
        assertFalse(upstream.requests().isEmpty());
        for (RecordedRequest r : upstream.requests()) {
            UpstreamRequestCheck.assertWellFormed(r.json());
            int maxTokens = r.json().path("max_tokens").asInt();
            assertTrue(maxTokens >= 1 && maxTokens <= cap, "max_tokens " + maxTokens + " upstream, cap " + cap);
        }
        assertFalse(code.stdout().contains(proxyKey) || code.stderr().contains(proxyKey) || log.contains(proxyKey),
                "the proxy key in clear");
    }

    @Test
    void ncpCodeWithoutClaudeCodeSaysHowToInstallIt() throws Exception {
        var code = new BundleProcess(work).directory(project)
                .env("NCP_CLAUDE_BIN", work.resolve("no-such-claude").toString())
                .env("NVIDIA_API_KEY", UPSTREAM_KEY);
        assertEquals(127, code.runToExit(List.of("code"), Duration.ofSeconds(30)));
        assertTrue(code.stderr().contains("npm install -g @anthropic-ai/claude-code"), code.stderr());
        assertEquals(1, code.stderr().strip().lines().count(), code.stderr());
    }

    @Test
    void ncpCodeWithoutAKeyForNvidiasApiStopsBeforeAnythingStarts() throws Exception {
        var code = new BundleProcess(work).directory(project)
                .env("NCP_CLAUDE_BIN", ClaudeCodeCli.executable().toString());
        assertEquals(2, code.runToExit(List.of("code"), Duration.ofSeconds(30)));
        assertTrue(code.stderr().startsWith("ncp: NVIDIA_API_KEY is not set"), code.stderr());
        assertEquals(1, code.stderr().strip().lines().count(), code.stderr());
        assertTrue(code.stderr().contains("https://build.nvidia.com"), code.stderr());
        assertTrue(upstream.requests().isEmpty());
    }

    private static String fixtureText(String name) throws IOException {
        return ClaudeCodeEndToEndTest.fixtureText(name);
    }

    private static Path executable(Path file, String script) throws IOException {
        Files.writeString(file, script);
        assertTrue(file.toFile().setExecutable(true));
        return file;
    }

    private RecordedRequest firstUpstreamRequest() {
        assertFalse(upstream.requests().isEmpty(), "nothing reached the upstream");
        return upstream.requests().get(0);
    }
}
