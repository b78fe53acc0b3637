package dev.ncp.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.config.Config;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The CLI's calls to a running ncp, with the configured {@code PROXY_API_KEY} when there is one. */
final class ProxyHttp implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final Config config;

    ProxyHttp(Config config) {
        this.config = config;
    }

    HttpClient client() {
        return http;
    }

    /** The body of a 200 answer to {@code GET path}, or empty (refused, failed, not running). */
    Optional<String> get(String path) {
        return send(request(path).GET().build());
    }

    Optional<JsonNode> getJson(String path) {
        return get(path).flatMap(ProxyHttp::json);
    }

    Optional<JsonNode> postJson(String path) {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build()).flatMap(ProxyHttp::json);
    }

    private HttpRequest.Builder request(String path) {
        var builder = HttpRequest.newBuilder(URI.create(config.listenUrl() + path)).timeout(TIMEOUT);
        config.proxyApiKey().ifPresent(k -> builder.header("x-api-key", k));
        return builder;
    }

    private Optional<String> send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Optional<JsonNode> json(String body) {
        try {
            return Optional.ofNullable(JSON.readTree(body));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
