package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.ScriptedUpstream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows of the original that the bundle must keep, started as a user starts it: {@code NCP_FALLBACK_MODELS} is tried
 * when {@code --model} puts every family on one model (whose own chain then names only itself), and the open
 * {@code /healthz} and {@code /readyz} probes answer without the key while {@code PROXY_API_KEY} is set, readiness
 * following the upstream down and back.
 */
@Timeout(120)
class OpenModelRowsBundleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROXY_KEY = "sk-ncp-bundle-rows-0123456789abcdef";
    private static final String PRIMARY = "qwen/qwen3-coder-480b-a35b-instruct";
    private static final String FALLBACK = "moonshotai/kimi-k2-instruct";

    @TempDir
    Path work;

    @Test
    void fallbackModelsAreTriedWhenModelPutsEveryFamilyOnOneModel() throws Exception {
        try (var upstream = ScriptedUpstream.start();
             var ncp = new BundleProcess(work).env("NVIDIA_BASE_URL", upstream.baseUrl().toString())
                     .env("NVIDIA_API_KEY", "nvapi-test-0123456789abcdef").env("PROXY_API_KEY", PROXY_KEY)
                     .env("NCP_FALLBACK_MODELS", FALLBACK).arg("--model", PRIMARY)) {
            upstream.fallback(request -> PRIMARY.equals(request.json().path("model").asText())
                    ? Script.error("nim-503-overloaded") : Script.fixture("text-stop-usage-last.sse"));
            ncp.start();
            var client = AnthropicOkHttpClient.builder().baseUrl(ncp.url("")).apiKey(PROXY_KEY).maxRetries(0)
                    .build();
            try {
                var raw = client.messages().withRawResponse().create(MessageCreateParams.builder()
                        .model("claude-opus-4-7").maxTokens(256).addUserMessage("Hi").build());
                String text = raw.parse().content().get(0).asText().text();
                assertTrue(text.startsWith("Hello!"), text);
                assertEquals(List.of(FALLBACK), raw.headers().values("x-ncp-model"));
            } finally {
                client.close();
            }
            List<String> models = upstream.requests().stream().map(r -> r.json().path("model").asText()).toList();
            assertEquals(PRIMARY, models.get(0), models.toString());
            assertEquals(FALLBACK, models.get(models.size() - 1), models.toString());
        }
    }

    @Test
    void theProbesAnswerWithoutTheKeyAndReadinessFollowsTheUpstream() throws Exception {
        int port;
        try (var reserve = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = reserve.getLocalPort();
        }
        try (var ncp = new BundleProcess(work).env("NVIDIA_BASE_URL", "http://127.0.0.1:" + port + "/v1")
                .env("NVIDIA_API_KEY", "nvapi-test-0123456789abcdef").env("PROXY_API_KEY", PROXY_KEY)) {
            ncp.start();
            assertEquals(401, get(ncp, "/health").statusCode(), "/health keeps its key");
            assertEquals(200, get(ncp, "/healthz").statusCode());
            JsonNode down = awaitStatus(ncp, 503);
            assertEquals("the upstream refuses connections", down.path("reason").asText(), down.toString());
            try (var upstream = new ServerSocket()) {
                upstream.setReuseAddress(true);
                upstream.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
                assertEquals("ready", awaitStatus(ncp, 200).path("status").asText());
            }
            awaitStatus(ncp, 503);
            assertEquals(200, get(ncp, "/healthz").statusCode(), "alive all along");
        }
    }

    private static HttpResponse<String> get(BundleProcess ncp, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ncp.url(path)))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode awaitStatus(BundleProcess ncp, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<String> last;
        do {
            last = get(ncp, "/readyz");
            if (last.statusCode() == status) {
                return JSON.readTree(last.body());
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("/readyz stayed " + last.statusCode() + ": " + last.body());
    }
}
