package dev.ncp.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.config.Config;
import dev.ncp.host.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ncp models} shows where each model is served: its named deployments, or the default upstream. */
class ModelDeploymentsListingTest {

    private static final String SECRET = "nim-a-secret-0123456789abcdef";

    @TempDir
    Path home;

    private Config config(String yaml) throws Exception {
        Path file = Files.writeString(home.resolve("models.yaml"), yaml);
        var env = new HashMap<String, String>();
        env.put("NCP_MODELS_FILE", file.toString());
        env.put("NVIDIA_BASE_URL", "http://127.0.0.1:9/v1");
        env.put("NCP_PLUGINS_DIR", Files.createDirectories(home.resolve("plugins")).toString());
        env.put("NIM_A_KEY", SECRET);
        // NIM_B_KEY is unset: listing models needs no key
        return new ConfigLoader(env, home, Optional.empty()).lettingUpstreamKeysBeMissing()
                .load(Optional.empty(), Map.of());
    }

    private static String print(Config config, boolean json) throws Exception {
        var out = new ByteArrayOutputStream();
        ModelsCommand.print(ModelsRefreshCommand.registry(config), new ModelDeployments(config), json,
                new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static final String TWO_DEPLOYMENTS = """
            upstreams:
              nim-a: {base_url: "http://10.0.0.5:8000/v1", api_key_env: NIM_A_KEY}
              nim-b: {base_url: "http://10.0.0.6:8000/v1", api_key_env: NIM_B_KEY, weight: 2}
              nim-messages: {base_url: "http://10.0.0.7:8000/v1", protocol: anthropic}
            models:
              - id: acme/coder
                context_window: 131072
                max_output_tokens: 8192
                upstreams: [nim-a, nim-b]
              - id: acme/messages
                context_window: 65536
                max_output_tokens: 4096
                upstreams: [nim-messages]
            """;

    @Test
    void theTableNamesEachModelsUpstreamsAndListsTheirDetailsBelow() throws Exception {
        String table = print(config(TWO_DEPLOYMENTS), false);

        assertTrue(table.lines().findFirst().orElseThrow().endsWith("REASONING UPSTREAMS"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("acme/coder ") && l.endsWith(" nim-a,nim-b×2")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("acme/messages ") && l.endsWith(" nim-messages")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("meta/llama-3.3-70b-instruct ")
                && l.endsWith(" default")), table);
        assertTrue(table.contains("""
                Deployments (upstream, protocol, base URL, weight):
                  acme/coder:
                    nim-a            openai    http://10.0.0.5:8000/v1                  weight 1
                    nim-b            openai    http://10.0.0.6:8000/v1                  weight 2
                  acme/messages:
                    nim-messages     anthropic http://10.0.0.7:8000/v1                  weight 1
                  Every other model: default upstream (http://127.0.0.1:9/v1, openai).
                """), table);
        assertFalse(table.contains(SECRET), "never a key");
    }

    @Test
    void theJsonGivesEveryModelItsDeployments() throws Exception {
        JsonNode models = new ObjectMapper().readTree(print(config(TWO_DEPLOYMENTS), true));
        Map<String, JsonNode> byId = new HashMap<>();
        models.forEach(m -> byId.put(m.path("id").asText(), m.path("deployments")));

        assertEquals(new ObjectMapper().readTree("""
                [{"upstream":"nim-a","protocol":"openai","base_url":"http://10.0.0.5:8000/v1","weight":1},
                 {"upstream":"nim-b","protocol":"openai","base_url":"http://10.0.0.6:8000/v1","weight":2}]"""),
                byId.get("acme/coder"));
        assertEquals(new ObjectMapper().readTree("""
                [{"upstream":"nim-messages","protocol":"anthropic","base_url":"http://10.0.0.7:8000/v1","weight":1}]"""),
                byId.get("acme/messages"));
        assertEquals(new ObjectMapper().readTree("""
                [{"upstream":"default","protocol":"openai","base_url":"http://127.0.0.1:9/v1","weight":1}]"""),
                byId.get("meta/llama-3.3-70b-instruct"));
    }

    @Test
    void withoutNamedUpstreamsEveryModelIsOnTheDefaultAndNoDetailFollows() throws Exception {
        String table = print(config("models:\n  - id: acme/coder\n    context_window: 8192\n"
                + "    max_output_tokens: 1024\n"), false);
        var rows = table.lines().skip(1).filter(l -> !l.contains(" models. Claude names: ")).toList();
        assertTrue(rows.size() > 5, table);
        assertTrue(rows.stream().allMatch(l -> l.endsWith(" default")), table);
        assertFalse(table.contains("Deployments"), table);
    }
}
