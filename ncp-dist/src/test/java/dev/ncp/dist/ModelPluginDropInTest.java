package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.testing.PluginJarBuilder;
import dev.ncp.host.testing.ScriptedUpstream;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new NIM model needs no host change (the client is the official Anthropic Java SDK): a plugin jar built here, outside ncp's build, claims the model id
 * {@code acme/new-model-1}; dropped into the bundle's {@code plugins/}, after a restart the upstream request for
 * that model carries the plugin's change. Before the jar is there, it does not.
 */
class ModelPluginDropInTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String MODEL = "acme/new-model-1";

    /** The whole plugin a model vendor would write: registry entry and request shaping. */
    static PluginJarBuilder acmePlugin() {
        return new PluginJarBuilder("acme-models", "1.0.0").source("""
                package com.acme.ncp;

                import dev.ncp.api.model.*;
                import dev.ncp.api.openai.ChatRequest;
                import java.util.List;
                import java.util.Map;
                import org.pf4j.Extension;

                @Extension
                public class AcmeAdapter implements ModelAdapter {
                    public String name() { return "acme"; }

                    public boolean supports(ModelInfo model) { return model.id().startsWith("acme/"); }

                    public List<ModelInfo> models() {
                        return List.of(new ModelInfo("acme/new-model-1", "acme", List.of("claude-acme"), 65_536, 8_192,
                                ModelInfo.Capabilities.TOOLS_ONLY, "none", List.of(), Map.of()));
                    }

                    public ChatRequest shape(ChatRequest request, ShapingContext context) {
                        return request.withExtra("acme_mode", "fast");
                    }
                }
                """);
    }

    @TempDir
    Path work;

    @Test
    void aModelPluginDroppedIntoPluginsShapesItsModelsRequestsAfterARestart() throws Exception {
        try (var upstream = ScriptedUpstream.start()) {
            var ncp = new BundleProcess(work)
                    .env("NVIDIA_BASE_URL", upstream.baseUrl().toString())
                    .env("NVIDIA_API_KEY", "nvapi-test-0123456789abcdef");
            try (ncp) {
                upstream.enqueue(Script.fixture("text-stop-usage-last.sse"));
                ncp.start();
                AnthropicClient client = ThinkingSignatureRestartTest.client(ncp);
                try {
                    assertFalse(ask(client, MODEL).content().isEmpty());
                } finally {
                    client.close();
                }
                JsonNode before = upstream.requests().get(0).json();
                assertEquals(MODEL, before.path("model").asText());
                assertFalse(before.has("acme_mode"), "no plugin yet, no plugin field: " + before);
            }

            acmePlugin().build(ncp.pluginsDir().resolve("acme-models.jar"));
            try (ncp) {
                upstream.enqueue(Script.fixture("text-stop-usage-last.sse"));
                upstream.enqueue(Script.fixture("text-stop-usage-last.sse"));
                ncp.start();
                AnthropicClient client = ThinkingSignatureRestartTest.client(ncp);
                try {
                    Message answer = ask(client, MODEL);
                    assertEquals(MODEL, answer.model().asString(), "the answer names the model asked for");
                    assertFalse(answer.content().isEmpty());
                    JsonNode after = upstream.requests().get(1).json();
                    assertEquals(MODEL, after.path("model").asText());
                    assertEquals("fast", after.path("acme_mode").asText(), after.toString());

                    assertEquals("claude-acme", ask(client, "claude-acme").model().asString(),
                            "the plugin's alias resolves");
                } finally {
                    client.close();
                }
                JsonNode viaAlias = upstream.requests().get(2).json();
                assertEquals(MODEL, viaAlias.path("model").asText());
                assertEquals("fast", viaAlias.path("acme_mode").asText());

                JsonNode health = JSON.readTree(get(ncp, "/health").body());
                assertTrue(health.path("plugins").toString().contains("acme-models"), health.toString());
                assertEquals(0, health.path("plugin_failures").size(), health.toString());
            }
        }
    }

    /** The official Anthropic SDK asks {@code model}; a non-200 answer throws. */
    private static Message ask(AnthropicClient client, String model) {
        return client.messages().create(MessageCreateParams.builder().model(model).maxTokens(256)
                .addUserMessage("Hello").build());
    }

    private static HttpResponse<String> get(BundleProcess ncp, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(ncp.url(path))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
