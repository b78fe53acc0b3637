package dev.ncp.host.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the upstream's model list: {@code GET {base}/models} (OpenAI format, {@code {"data":[{"id":...}]}}), as
 * NVIDIA's hosted API and NIM containers answer it. Used by {@code ncp models-refresh}, never on a request's path.
 */
public final class ModelListClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI baseUrl;
    private final Optional<String> apiKey;
    private final ObjectMapper json;

    public ModelListClient(URI baseUrl, Optional<String> apiKey, ObjectMapper json) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.json = json;
    }

    /** Where the list is read from. */
    public URI modelsUri() {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + "models");
    }

    /**
     * The model ids the upstream lists, in its order.
     *
     * @throws IOException with a one-line reason (status and the start of the body) when the upstream refuses
     */
    public List<String> ids() throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(modelsUri()).timeout(TIMEOUT).header("Accept", "application/json").GET();
        apiKey.ifPresent(k -> request.header("Authorization", "Bearer " + k));
        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
        if (response.statusCode() != 200) {
            String body = response.body().strip();
            throw new IOException("GET " + modelsUri() + " answered " + response.statusCode() + ": "
                    + (body.length() > 300 ? body.substring(0, 300) + "…" : body)
                    + (response.statusCode() == 401 || response.statusCode() == 403
                    ? " (check NVIDIA_API_KEY)" : ""));
        }
        JsonNode data = json.readTree(response.body()).path("data");
        if (!data.isArray()) {
            throw new IOException("GET " + modelsUri() + " answered without a \"data\" list of models");
        }
        var ids = new ArrayList<String>();
        for (JsonNode model : data) {
            String id = model.path("id").asText("");
            if (!id.isBlank()) {
                ids.add(id);
            }
        }
        return ids;
    }
}
