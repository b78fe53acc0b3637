package dev.ncp.host.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.core.JsonValue;
import com.anthropic.models.models.ModelInfo;
import com.anthropic.models.models.ModelListParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.testing.HttpCalls;
import dev.ncp.host.testing.ProxyHarness;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The model list and {@code GET /v1/models/{id}} carry each model's capabilities in an {@code ncp} object, and the
 * Anthropic Java SDK still lists, pages and retrieves them (it keeps the unknown object aside, untouched).
 */
@Timeout(60)
class ModelCapabilitiesThroughSdkTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ProxyHarness h;

    @BeforeAll
    static void start() {
        h = ProxyHarness.start();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void theSdkListsEveryModelWithItsCapabilitiesAside() {
        List<ModelInfo> all = new ArrayList<>();
        h.client().models().list(ModelListParams.builder().limit(5).build()).autoPager().forEach(all::add);
        assertTrue(all.size() > 10, "every page was followed: " + all.size());
        for (ModelInfo model : all) {
            model.validate(); // every field the SDK knows is well-formed
            JsonValue ncp = model._additionalProperties().get("ncp");
            assertTrue(ncp != null, model.id() + " has an ncp object");
            Map<?, ?> caps = ncp.convert(Map.class);
            assertTrue(caps.keySet().containsAll(List.of("upstream_id", "context_window", "max_output_tokens",
                    "tools", "vision", "reasoning", "pdf")), model.id() + ": " + caps);
            assertEquals(((Number) caps.get("context_window")).longValue(), model.maxInputTokens().orElseThrow());
            assertEquals(((Number) caps.get("max_output_tokens")).longValue(), model.maxTokens().orElseThrow());
        }
    }

    @Test
    void oneModelCarriesTheCapabilitiesOfTheModelBehindIt() throws Exception {
        ModelInfo alias = h.client().models().retrieve("claude-sonnet-4-6");
        Map<?, ?> caps = alias._additionalProperties().get("ncp").convert(Map.class);
        String upstream = (String) caps.get("upstream_id");
        JsonNode raw = JSON.readTree(HttpCalls.text(HttpCalls.get(h.baseUrl(), "/v1/models/" + upstream, Map.of())));
        JsonNode ncp = raw.path("ncp");
        assertEquals(upstream, raw.path("id").asText());
        assertEquals(upstream, ncp.path("upstream_id").asText());
        assertEquals(JSON.valueToTree(caps), ncp, "an alias shows what its target can do");
        assertTrue(ncp.path("tools").asBoolean(), raw.toString());
        assertTrue(ncp.path("context_window").asInt() > 0, raw.toString());
        assertFalse(ncp.path("pdf").isMissingNode(), raw.toString());
    }
}
