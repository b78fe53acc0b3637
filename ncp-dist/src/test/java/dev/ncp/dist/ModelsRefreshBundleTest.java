package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.host.config.UserModelEntry;
import dev.ncp.host.config.UserModelsFile;
import dev.ncp.host.config.UserModelsWriter;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.ScriptedUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ncp models-refresh} run from the bundle, its model plugins loaded: the ids the family plugins describe are
 * written with the plugins' capabilities, not as unknown models.
 */
class ModelsRefreshBundleTest {

    private static final String MODELS = """
            {"object":"list","data":[
              {"id":"qwen/qwen3-coder-480b-a35b-instruct","object":"model","owned_by":"qwen"},
              {"id":"qwen/qwen3-235b-a22b","object":"model","owned_by":"qwen"},
              {"id":"nvidia/llama-3.3-nemotron-super-49b-v1.5","object":"model","owned_by":"nvidia"},
              {"id":"nvidia/nemotron-3-nano-30b-a3b","object":"model","owned_by":"nvidia"},
              {"id":"acme/brand-new-70b-instruct","object":"model","owned_by":"acme"}
            ]}""";

    @TempDir
    Path work;

    @Test
    void theFamilyPluginsCapabilitiesAreWrittenForTheirModels() throws Exception {
        try (var upstream = ScriptedUpstream.start()) {
            upstream.enqueue(Script.status(200, Map.of("Content-Type", "application/json"), MODELS));
            Path output = work.resolve("models.yaml");
            var ncp = new BundleProcess(work).env("NVIDIA_BASE_URL", upstream.baseUrl().toString())
                    .env("NVIDIA_API_KEY", "nvapi-test-0123456789abcdef");
            try (ncp) {
                assertEquals(0, ncp.runToExit(List.of("models-refresh", "--output", output.toString()),
                        Duration.ofSeconds(60)), ncp.stderr());
                assertEquals("Wrote 5 models to " + output + " (4 described by ncp, 1 with conservative defaults).",
                        ncp.stdout().strip());
            }
            String yaml = Files.readString(output);
            assertEquals(1, yaml.split(UserModelsWriter.UNKNOWN_COMMENT, -1).length - 1, yaml);

            Map<String, UserModelEntry> byId = UserModelsFile.read(output).entries().stream()
                    .collect(Collectors.toMap(UserModelEntry::id, Function.identity()));
            UserModelEntry coder = byId.get("qwen/qwen3-coder-480b-a35b-instruct");
            assertEquals(262_144, coder.contextWindow(), yaml);
            assertEquals("qwen3-coder", coder.family());
            assertEquals(false, coder.reasoning());
            UserModelEntry qwen3 = byId.get("qwen/qwen3-235b-a22b");
            assertEquals("qwen-kwargs", qwen3.reasoningStyle());
            assertEquals(true, qwen3.reasoning());
            assertEquals("slash-think", byId.get("nvidia/llama-3.3-nemotron-super-49b-v1.5").reasoningStyle());
            UserModelEntry nano = byId.get("nvidia/nemotron-3-nano-30b-a3b");
            assertEquals("enable-thinking-kwarg", nano.reasoningStyle());
            assertEquals("nemotron-3-nano", nano.family());
            assertTrue(yaml.contains(UserModelsWriter.UNKNOWN_COMMENT + "\n  - id: \"acme/brand-new-70b-instruct\"\n"),
                    yaml);
        }
    }
}
