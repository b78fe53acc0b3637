package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.testing.PluginJarBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real bundle, started as a separate process exactly as a user starts it. */
class BundleStartTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path work;

    /** The version Maven built: what {@code /health} and {@code --version} must report. */
    static final String BUILD_VERSION = System.getProperty("ncp.version");
    private static final List<String> SHIPPED_PLUGINS = List.of("auth-keyfile", "model-deepseek", "model-gptoss",
            "model-kimi", "model-nemotron", "model-qwen", "storage-redis", "storage-sqlite");

    @Test
    void startsWithSqliteStorageAndEveryShippedPluginLoaded() throws Exception {
        String nvidiaKey = "nvapi-secret-0123456789-wxyz";
        String defaultModel = "meta/llama-3.3-70b-instruct";
        try (var ncp = new BundleProcess(work).env("NVIDIA_API_KEY", nvidiaKey)
                .env("NCP_DEFAULT_MODEL", defaultModel).start()) {
            HttpResponse<String> health = get(ncp, "/health", Map.of());
            assertEquals(200, health.statusCode(), health.body());
            JsonNode body = JSON.readTree(health.body());
            assertEquals("ok", body.path("status").asText());
            assertFalse(BUILD_VERSION == null || BUILD_VERSION.isBlank(), "the build passes -Dncp.version");
            assertEquals(BUILD_VERSION, body.path("version").asText(), health.body());
            for (JsonNode plugin : body.path("plugins")) {
                assertFalse(plugin.path("version").asText().isBlank(), "no version in " + plugin);
            }
            assertEquals("sqlite", body.path("storage").path("engine").asText());
            assertTrue(body.path("storage").path("healthy").asBoolean(), health.body());
            assertEquals(SHIPPED_PLUGINS, ids(body));
            for (JsonNode plugin : body.path("plugins")) {
                assertFalse(plugin.path("extensions").isEmpty(), "no extension in " + plugin);
            }
            assertEquals(0, body.path("plugin_failures").size(), health.body());
            assertTrue(Files.exists(work.resolve("ncp.db")), "the SQLite file was not created");
            assertFalse(health.headers().firstValue("request-id").orElse("").isEmpty());

            String out = ncp.stdout();
            assertTrue(out.contains("listening on " + ncp.url("")), out);
            assertTrue(out.contains("export ANTHROPIC_BASE_URL=" + ncp.url("")), out);
            assertTrue(out.contains(ncp.url("/health")), out);
            assertTrue(out.contains(ncp.url("/dashboard/stream")), out);
            List<String> lines = out.lines().toList();
            assertTrue(lines.contains("  storage:    sqlite (" + work.resolve("ncp.db") + ")"), out);
            for (String id : SHIPPED_PLUGINS) {
                assertTrue(lines.contains("  plugin:     " + id + " " + BUILD_VERSION + " (1 extension)"), out);
            }
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("  models:     ")
                    && l.endsWith("; other names → " + defaultModel)), "the default model: " + out);
            assertTrue(lines.contains("  upstream:   https://integrate.api.nvidia.com/v1 (NVIDIA_API_KEY nvap…wxyz)"),
                    "the key, masked: " + out);
            assertFalse(out.contains(nvidiaKey) || ncp.stderr().contains(nvidiaKey), "the key in clear: " + out);
        }
    }

    @Test
    void aPluginJarInTheUsersNcpPluginsDirectoryLoadsAndItsProviderRunsOnAVirtualThread() throws Exception {
        var ncp = new BundleProcess(work);
        Path userPlugins = Files.createDirectories(ncp.home().resolve(".ncp/plugins"));
        threadProbePlugin().build(userPlugins.resolve("thread-probe.jar"));
        try (ncp) {
            ncp.start();
            HttpResponse<String> health = get(ncp, "/health", Map.of("x-thread-probe", "on"));
            assertEquals(200, health.statusCode(),
                    "the probe accepts only a request served on a virtual thread: " + health.body());
            JsonNode body = JSON.readTree(health.body());
            JsonNode probe = plugin(body, "thread-probe");
            assertEquals("thread-probe.jar", probe.path("file").asText(), health.body());
            assertEquals("2.0.0", probe.path("version").asText(), health.body());
            assertTrue(ids(body).containsAll(SHIPPED_PLUGINS), "the bundle's own plugins load beside it");
            assertTrue(ncp.stdout().contains("  plugin:     thread-probe 2.0.0 (1 extension)"), ncp.stdout());
        }
    }

    @Test
    void aStorageEngineNobodyProvidesStopsStartupWithOneLineNamingTheAllowedValues() throws Exception {
        var ncp = new BundleProcess(work).env("STORAGE_ENGINE", "mongo");
        assertEquals(2, ncp.runToExit(List.of("proxy"), Duration.ofSeconds(30)));
        assertEquals("ncp: STORAGE_ENGINE=mongo is not valid: allowed are memory, redis, sqlite.",
                ncp.stderr().strip());
    }

    @Test
    void aPluginJarDroppedIntoPluginsLoadsOnTheNextStartAndACorruptOneIsReportedAndSkipped() throws Exception {
        var ncp = new BundleProcess(work);
        PluginJarBuilder.headerAuthPlugin("test-auth", "letmein").build(ncp.pluginsDir().resolve("test-auth.jar"));
        Files.writeString(ncp.pluginsDir().resolve("broken.jar"), "this is not a jar");
        try (ncp) {
            ncp.start();
            HttpResponse<String> refused = get(ncp, "/health", Map.of());
            assertEquals(401, refused.statusCode(), "the plugin's auth provider should guard /health");

            HttpResponse<String> health = get(ncp, "/health", Map.of("x-test-plugin", "letmein"));
            assertEquals(200, health.statusCode(), health.body());
            JsonNode body = JSON.readTree(health.body());
            assertTrue(ids(body).contains("test-auth"), health.body());
            assertTrue(ids(body).contains("storage-sqlite"), health.body());
            assertEquals("broken.jar", body.path("plugin_failures").path(0).path("file").asText(), health.body());
            assertTrue(ncp.stdout().contains("plugin FAILED: broken.jar: "), ncp.stdout());
            assertEquals(List.of("test-header-auth"), JSON.convertValue(body.path("auth"), List.class));
        }
    }

    @Test
    void withProxyApiKeyNoEndpointIsOpenWithoutIt() throws Exception {
        String key = "sk-ncp-test-0123456789abcdef";
        try (var ncp = new BundleProcess(work).env("PROXY_API_KEY", key).start()) {
            HttpResponse<String> refused = get(ncp, "/health", Map.of());
            assertEquals(401, refused.statusCode());
            JsonNode error = JSON.readTree(refused.body());
            assertEquals("error", error.path("type").asText());
            assertEquals("authentication_error", error.path("error").path("type").asText());
            assertFalse(refused.body().contains(key));
            assertTrue(refused.headers().firstValue("request-id").orElse("").startsWith("req_"));

            assertEquals(401, get(ncp, "/v1/models", Map.of("x-api-key", "wrong")).statusCode());
            assertEquals(200, get(ncp, "/health", Map.of("x-api-key", key)).statusCode());
            assertEquals(200, get(ncp, "/v1/models", Map.of("authorization", "Bearer " + key)).statusCode());
            assertFalse(ncp.stdout().contains(key), "the startup diagnostics printed the key");
        }
    }

    @Test
    void runAndR2AreAliasesOfProxy() throws Exception {
        for (String alias : List.of("run", "r2")) {
            try (var ncp = new BundleProcess(Files.createDirectories(work.resolve(alias))).start(alias)) {
                HttpResponse<String> health = get(ncp, "/health", Map.of());
                assertEquals(200, health.statusCode(), alias + ": " + health.body());
                assertEquals("sqlite", JSON.readTree(health.body()).path("storage").path("engine").asText());
                assertTrue(ncp.stdout().contains("listening on " + ncp.url("")), alias + ": " + ncp.stdout());
            }
        }
    }

    @Test
    void aBadSettingStopsStartupWithOneClearLine() throws Exception {
        var ncp = new BundleProcess(work).env("PROXY_PORT", "abc");
        int exit = ncp.runToExit(List.of("proxy"), Duration.ofSeconds(30));
        assertEquals(2, exit);
        assertEquals("ncp: PROXY_PORT=abc is not valid: expected a whole number from 0 to 65535.",
                ncp.stderr().strip());
    }

    @Test
    void aTakenPortStopsStartupWithOneLineSayingWhatToDo() throws Exception {
        try (var busy = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            var ncp = new BundleProcess(work);
            int port = busy.getLocalPort();
            assertEquals(2, ncp.runToExit(List.of("proxy", "--port", String.valueOf(port)), Duration.ofSeconds(30)));
            assertEquals("ncp: cannot listen on 127.0.0.1:" + port + " (Address already in use): stop what holds it,"
                    + " or choose another port with PROXY_PORT or --port (another address with PROXY_HOST or --host).",
                    ncp.stderr().strip());
        }
    }

    @Test
    void aStorageEngineWhosePluginIsMissingNamesTheJarToAdd() throws Exception {
        var ncp = new BundleProcess(work);
        Files.delete(ncp.pluginsDir().resolve("ncp-plugin-storage-redis.jar"));
        int exit = ncp.env("STORAGE_ENGINE", "redis").runToExit(List.of("proxy"), Duration.ofSeconds(30));
        assertEquals(2, exit);
        assertTrue(ncp.stderr().contains("STORAGE_ENGINE=redis needs the plugin ncp-plugin-storage-redis.jar"),
                ncp.stderr());
    }

    @Test
    void versionAndHelpWork() throws Exception {
        var ncp = new BundleProcess(work);
        assertEquals(0, ncp.runToExit(List.of("--version"), Duration.ofSeconds(30)));
        assertEquals("ncp " + BUILD_VERSION, ncp.stdout().strip());
        var help = new BundleProcess(Files.createDirectories(work.resolve("help")));
        assertEquals(0, help.runToExit(List.of("--help"), Duration.ofSeconds(30)));
        assertTrue(help.stdout().contains("proxy"), help.stdout());
    }

    /**
     * A plugin whose AuthProvider, asked about a request carrying {@code x-thread-probe}, lets it in only when it
     * runs on a virtual thread (auth runs on the thread Javalin serves the request on), else refuses it naming the
     * thread; it abstains otherwise.
     */
    private static PluginJarBuilder threadProbePlugin() {
        return new PluginJarBuilder("thread-probe", "2.0.0").source("""
                package dev.ncp.testplugin;

                import dev.ncp.api.auth.*;
                import org.pf4j.Extension;

                @Extension
                public class ThreadProbeAuthProvider implements AuthProvider {
                    public String name() { return "thread-probe"; }
                    public AuthDecision authenticate(AuthRequest request) {
                        if (request.header("x-thread-probe").isEmpty()) {
                            return AuthDecision.abstain();
                        }
                        Thread thread = Thread.currentThread();
                        return thread.isVirtual() ? AuthDecision.accept(Principal.operatorNamed("probe"))
                                : AuthDecision.reject("served on a platform thread: " + thread);
                    }
                }
                """);
    }

    private static JsonNode plugin(JsonNode health, String id) {
        for (JsonNode p : health.path("plugins")) {
            if (p.path("id").asText().equals(id)) {
                return p;
            }
        }
        throw new AssertionError("plugin " + id + " not in " + health);
    }

    private static List<String> ids(JsonNode health) {
        List<String> ids = new ArrayList<>();
        health.path("plugins").forEach(p -> ids.add(p.path("id").asText()));
        return ids;
    }

    private static HttpResponse<String> get(BundleProcess ncp, String path, Map<String, String> headers)
            throws IOException, InterruptedException {
        var b = HttpRequest.newBuilder(URI.create(ncp.url(path))).timeout(Duration.ofSeconds(10));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
