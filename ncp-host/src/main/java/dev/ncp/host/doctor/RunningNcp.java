package dev.ncp.host.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Asks whether an ncp answers at an address: {@code GET /health} answered with ncp's own fields (status, version,
 * uptime). What {@code ncp code} reuses, {@code ncp status} summarises and {@code ncp doctor} counts as fine on the
 * port. With the proxy's key the answer has the operators' details (storage, plugins, breakers).
 */
public final class RunningNcp {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Duration timeout;

    public RunningNcp(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /** The {@code /health} body of the ncp at {@code baseUrl}, or empty when nothing, or something else, answers. */
    public Optional<JsonNode> health(String baseUrl, Optional<String> proxyApiKey) {
        try {
            var request = HttpRequest.newBuilder(URI.create(baseUrl + "/health")).timeout(timeout);
            proxyApiKey.ifPresent(k -> request.header("x-api-key", k));
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 && response.statusCode() != 503) {
                return Optional.empty();
            }
            JsonNode body = JSON.readTree(response.body());
            boolean ncp = body != null && body.path("status").isTextual() && body.path("version").isTextual()
                    && body.path("uptime_seconds").isNumber();
            return ncp ? Optional.of(body) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Whether a healthy ncp answers at {@code baseUrl}. */
    public boolean healthy(String baseUrl, Optional<String> proxyApiKey) {
        return health(baseUrl, proxyApiKey).filter(h -> h.path("status").asText().equals("ok")).isPresent();
    }
}
