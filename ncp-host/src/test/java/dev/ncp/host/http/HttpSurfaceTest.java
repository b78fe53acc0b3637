package dev.ncp.host.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.config.ConfigLoader;
import dev.ncp.host.server.NcpServer;
import dev.ncp.host.storage.BuiltinStorageEngines;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP surface outside the Messages API: health, models, probes, and the shape of routing errors. */
class HttpSurfaceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path home;

    private static NcpServer server;

    @BeforeAll
    static void start() {
        var config = new ConfigLoader(Map.of("STORAGE_ENGINE", "memory", "PROXY_PORT", "0"), home, Optional.empty())
                .load(Optional.empty(), Map.of());
        server = NcpServer.start(config, BuiltinStorageEngines.all());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> send(String method, String path) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(server.config().listenUrl() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void assertAnthropicError(HttpResponse<String> r, int status, String type) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals("error", body.path("type").asText());
        assertEquals(type, body.path("error").path("type").asText());
        assertFalse(body.path("error").path("message").asText().isBlank());
        assertTrue(r.headers().firstValue("request-id").orElse("").matches("req_[0-9A-Za-z]{24}"), r.headers().toString());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
    }

    @Test
    void unknownRoutesGetAnthropicNotFound() throws Exception {
        HttpResponse<String> r = send("GET", "/v1/nothing-here");
        assertAnthropicError(r, 404, "not_found_error");
        assertTrue(r.body().contains("POST /v1/messages"), "the message should say what exists: " + r.body());
    }

    @Test
    void wrongMethodsGetAnthropic405() throws Exception {
        assertAnthropicError(send("DELETE", "/health"), 405, "invalid_request_error");
        assertAnthropicError(send("PUT", "/v1/models"), 405, "invalid_request_error");
    }

    @Test
    void claudeCodesConnectivityProbeAnswers() throws Exception {
        HttpResponse<String> r = send("HEAD", "/api/hello");
        assertEquals(200, r.statusCode());
    }

    @Test
    void healthReportsStorageAndVersion() throws Exception {
        HttpResponse<String> r = send("GET", "/health");
        assertEquals(200, r.statusCode());
        JsonNode body = JSON.readTree(r.body());
        assertEquals("ok", body.path("status").asText());
        assertEquals("memory", body.path("storage").path("engine").asText());
        assertTrue(body.path("storage").path("healthy").asBoolean());
        assertTrue(body.path("uptime_seconds").isIntegralNumber());
        assertEquals("open-loopback", body.path("auth").path(0).asText());
    }

    @Test
    void modelsListIsAnthropicShapedAndPages() throws Exception {
        JsonNode first = JSON.readTree(send("GET", "/v1/models?limit=2").body());
        assertEquals(2, first.path("data").size());
        assertTrue(first.path("has_more").asBoolean());
        assertEquals("claude-opus-4-7", first.path("first_id").asText());
        JsonNode entry = first.path("data").path(0);
        assertEquals("model", entry.path("type").asText());
        assertEquals("claude-opus-4-7", entry.path("id").asText());
        assertTrue(entry.path("created_at").asText().endsWith("Z"));
        JsonNode next = JSON.readTree(send("GET", "/v1/models?limit=2&after_id=" + first.path("last_id").asText()).body());
        assertEquals("claude-haiku-4-5", next.path("first_id").asText());
        JsonNode all = JSON.readTree(send("GET", "/v1/models?limit=1000").body());
        assertFalse(all.path("has_more").asBoolean());
        assertTrue(all.toString().contains("\"id\":\"meta/llama-3.3-70b-instruct\""), all.toString());
    }

    @Test
    void modelLookupKnowsFamiliesAndNimIdsAndRefusesTheRest() throws Exception {
        assertEquals("claude-sonnet-4-5",
                JSON.readTree(send("GET", "/v1/models/claude-sonnet-4-5").body()).path("id").asText());
        assertEquals(200, send("GET", "/v1/models/meta/llama-3.3-70b-instruct").statusCode());
        assertAnthropicError(send("GET", "/v1/models/gpt-4"), 404, "not_found_error");
        assertAnthropicError(send("GET", "/v1/models?limit=0"), 400, "invalid_request_error");
    }
}
