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

    @Test
    void startsWithSqliteStorageAndEveryShippedPluginLoaded() throws Exception {
        try (var ncp = new BundleProcess(work).start()) {
            HttpResponse<String> health = get(ncp, "/health", Map.of());
            assertEquals(200, health.statusCode(), health.body());
            JsonNode body = JSON.readTree(health.body());
            assertEquals("ok", body.path("status").asText());
            assertEquals("sqlite", body.path("storage").path("engine").asText());
            assertTrue(body.path("storage").path("healthy").asBoolean(), health.body());
            assertEquals(List.of("auth-keyfile", "model-deepseek", "model-gptoss", "model-kimi", "model-nemotron", "model-qwen",
                    "storage-redis", "storage-sqlite"), ids(body));
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
        }
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
    void aBadSettingStopsStartupWithOneClearLine() throws Exception {
        var ncp = new BundleProcess(work).env("PROXY_PORT", "abc");
        int exit = ncp.runToExit(List.of("proxy"), Duration.ofSeconds(30));
        assertEquals(2, exit);
        assertEquals("ncp: PROXY_PORT=abc is not valid: expected a whole number from 0 to 65535.",
                ncp.stderr().strip());
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
        assertTrue(ncp.stdout().startsWith("ncp "), ncp.stdout());
        var help = new BundleProcess(Files.createDirectories(work.resolve("help")));
        assertEquals(0, help.runToExit(List.of("--help"), Duration.ofSeconds(30)));
        assertTrue(help.stdout().contains("proxy"), help.stdout());
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
