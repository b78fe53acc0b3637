package dev.ncp.host.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.host.config.Config;
import dev.ncp.host.config.ConfigLoader;
import dev.ncp.host.storage.BuiltinStorageEngines;
import dev.ncp.host.testing.PluginJarBuilder;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.ScriptedUpstream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ncp doctor}'s checks: all green on a working setup, and each problem named with its fix. */
class DoctorTest {

    private static final String KEY = "nvapi-doctor-0123456789abcdef";
    private static final String MODELS = "{\"object\":\"list\",\"data\":[{\"id\":\"qwen/qwen3-coder-480b-a35b-instruct\"},"
            + "{\"id\":\"meta/llama-3.3-70b-instruct\"}]}";

    @TempDir
    Path home;

    private ScriptedUpstream upstream;
    private HttpClient http;
    private Path claude;
    private final Map<String, String> settings = new HashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        upstream = ScriptedUpstream.start();
        http = HttpClient.newHttpClient();
        claude = Files.createFile(home.resolve("claude"));
        claude.toFile().setExecutable(true);
        settings.put("NVIDIA_BASE_URL", upstream.baseUrl().toString());
        settings.put("NVIDIA_API_KEY", KEY);
        settings.put("STORAGE_ENGINE", "memory");
        settings.put("PROXY_PORT", String.valueOf(freePort()));
        settings.put("NCP_PLUGINS_DIR", Files.createDirectories(home.resolve("plugins")).toString());
    }

    @AfterEach
    void tearDown() {
        http.close();
        upstream.close();
    }

    @Test
    void aWorkingSetupPassesEveryCheck() {
        upstream.enqueue(Script.status(200, Map.of("content-type", "application/json"), MODELS));

        List<Finding> findings = examine(Map.of("NCP_CLAUDE_BIN", claude.toString()));

        findings.forEach(f -> assertTrue(f.ok(), f.line()));
        assertEquals(7, findings.size(), lines(findings));
        assertTrue(findings.get(0).line().startsWith("✓ Java " + Runtime.version().feature()), lines(findings));
        assertEquals("✓ NVIDIA_API_KEY is set (nvap…cdef)", findings.get(1).line());
        assertEquals("✓ upstream " + upstream.baseUrl() + "/models answers (2 models) and accepts the key",
                findings.get(2).line());
        assertTrue(findings.get(3).line().startsWith("✓ storage memory opens and is healthy"), lines(findings));
        assertTrue(findings.get(4).line().startsWith("✓ no plugins found in "), lines(findings));
        assertEquals("✓ port " + settings.get("PROXY_PORT") + " on 127.0.0.1 is free", findings.get(5).line());
        assertEquals("✓ Claude Code: " + claude, findings.get(6).line());

        var probe = upstream.requests().get(0);
        assertEquals("GET", probe.method());
        assertEquals("/v1/models", probe.path());
        assertEquals("Bearer " + KEY, probe.header("authorization"));
    }

    @Test
    void eachProblemIsNamedWithItsFix() throws Exception {
        upstream.enqueue(Script.error("openai-style-401"));
        settings.put("STORAGE_ENGINE", "redis");
        Files.writeString(Path.of(settings.get("NCP_PLUGINS_DIR")).resolve("broken.jar"), "not a jar");
        try (var busy = new ServerSocket(Integer.parseInt(settings.get("PROXY_PORT")), 50,
                InetAddress.getLoopbackAddress())) {
            List<Finding> findings = examine(Map.of("PATH", home.resolve("empty-bin").toString()));

            String all = lines(findings);
            assertEquals("✗ upstream " + upstream.baseUrl() + "/models rejects the key (HTTP 401) — fix: check "
                    + "NVIDIA_API_KEY: get a key at https://build.nvidia.com and run: export NVIDIA_API_KEY=nvapi-...",
                    findings.get(2).line());
            assertTrue(all.contains("✗ storage redis is not available — fix: STORAGE_ENGINE=redis needs the plugin "
                    + "ncp-plugin-storage-redis.jar"), all);
            assertTrue(all.contains("✗ plugin broken.jar: "), all);
            assertTrue(all.contains("✗ port " + busy.getLocalPort() + " on 127.0.0.1 is in use (not by an ncp) — fix: "
                    + "stop what listens there, or choose another port with PROXY_PORT or --port"), all);
            assertTrue(all.contains("✗ Claude Code (claude) is not installed or not on PATH — fix: "
                    + "npm install -g @anthropic-ai/claude-code"), all);
            assertEquals(5, findings.stream().filter(f -> !f.ok()).count(), all);
            findings.stream().filter(f -> !f.ok()).forEach(f -> assertFalse(f.fix().isBlank(), f.line()));
        }
    }

    @Test
    void anUnreachableUpstreamAndAMissingKeyForNvidiasApiAreProblems() throws Exception {
        settings.put("NVIDIA_BASE_URL", "http://127.0.0.1:" + freePort() + "/v1");
        List<Finding> findings = examine(Map.of());
        assertTrue(findings.get(2).line().startsWith("✗ cannot reach upstream http://127.0.0.1:"), lines(findings));
        assertTrue(findings.get(2).fix().contains("NVIDIA_BASE_URL"));

        settings.remove("NVIDIA_API_KEY");
        settings.put("NVIDIA_BASE_URL", "https://integrate.api.nvidia.com/v1");
        Config hosted = config();
        assertEquals(Finding.problem("NVIDIA_API_KEY is not set",
                        "get a key at https://build.nvidia.com and run: export NVIDIA_API_KEY=nvapi-..."),
                new Doctor(hosted, Map.of(), BuiltinStorageEngines.all(), http, Duration.ofSeconds(1))
                        .examine().get(1));
    }

    @Test
    void anUpstreamThatDoesNotAnswerInTimeIsAProblemNotAHang() {
        upstream.enqueue(Script.status(200, Map.of(), MODELS).delayHeaders(Duration.ofSeconds(5)));
        long start = System.nanoTime();
        Finding finding = new Doctor(config(), Map.of(), BuiltinStorageEngines.all(), http, Duration.ofMillis(300))
                .examine().get(2);
        assertEquals("✗ upstream " + upstream.baseUrl() + "/models did not answer within 300 ms — fix: check "
                + "NVIDIA_BASE_URL and that this machine reaches it (firewall, VPN, proxy)", finding.line());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(4)) < 0);
    }

    @Test
    void aJavaOlderThan21IsAProblem() {
        assertFalse(Doctor.java(17, "17.0.15").ok());
        assertTrue(Doctor.java(17, "17.0.15").fix().contains("JDK 21"));
        assertTrue(Doctor.java(21, "21.0.5").ok());
    }

    @Test
    void aPluginThatLoadsIsListed() throws Exception {
        upstream.enqueue(Script.status(200, Map.of(), MODELS));
        PluginJarBuilder.headerAuthPlugin("test-auth", "letmein")
                .build(Path.of(settings.get("NCP_PLUGINS_DIR")).resolve("test-auth.jar"));
        Finding plugins = examine(Map.of()).get(4);
        assertEquals("✓ plugins loaded: test-auth 1.2.3", plugins.line());
    }

    private List<Finding> examine(Map<String, String> env) {
        return new Doctor(config(), env, BuiltinStorageEngines.all(), http, Duration.ofSeconds(5)).examine();
    }

    private Config config() {
        return new ConfigLoader(settings, home, Optional.empty()).load(Optional.empty(), Map.of());
    }

    private static String lines(List<Finding> findings) {
        return String.join("\n", findings.stream().map(Finding::line).toList());
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
