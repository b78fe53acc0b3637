package dev.ncp.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.api.model.ModelInfo;
import dev.ncp.host.config.ConfigLoader;
import dev.ncp.host.config.UserModels;
import dev.ncp.host.config.UserModelsFile;
import dev.ncp.host.config.UserModelsWriter;
import dev.ncp.host.model.ModelRegistry;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.ScriptedUpstream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ncp models-refresh}: the upstream's model list, merged with what ncp knows, written as a models file. */
class ModelsRefreshCommandTest {

    private static final String KEY = "nvapi-refresh-test-0123456789";
    private static final String MODELS = """
            {"object":"list","data":[
              {"id":"meta/llama-4-maverick-17b-128e-instruct","object":"model","owned_by":"meta"},
              {"id":"deepseek-ai/deepseek-r1","object":"model","owned_by":"deepseek-ai"},
              {"id":"acme/brand-new-70b-instruct","object":"model","owned_by":"acme"},
              {"id":"team/tuned-coder","object":"model","owned_by":"team"}
            ]}""";

    @TempDir
    Path home;

    private ScriptedUpstream upstream;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void startUpstream() {
        upstream = ScriptedUpstream.start();
    }

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    private int run(String... args) {
        Map<String, String> env = Map.of("NVIDIA_BASE_URL", upstream.baseUrl().toString(), "NVIDIA_API_KEY", KEY,
                "NCP_PLUGINS_DIR", home.resolve("no-plugins").toString());
        var command = new CommandLine(new ModelsRefreshCommand(() -> new ConfigLoader(env, home, Optional.empty())));
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    @Test
    void writesEveryUpstreamModelWithWhatNcpKnowsAndMarksTheUnknownOnes() throws IOException {
        Files.createDirectories(home.resolve(".ncp"));
        Files.writeString(home.resolve(".ncp/models.yaml"), """
                models:
                  - id: team/tuned-coder
                    context_window: 65536
                    reasoning_style: qwen-kwargs
                """);
        upstream.enqueue(Script.status(200, Map.of("Content-Type", "application/json"), MODELS));
        Path output = home.resolve("out/models.yaml");

        assertEquals(0, run("--output", output.toString()), err.toString());

        var sent = upstream.requests().get(0);
        assertEquals("GET", sent.method());
        assertEquals("/v1/models", sent.path());
        assertEquals("Bearer " + KEY, sent.header("authorization"));
        assertEquals("Wrote 4 models to " + output + " (3 described by ncp, 1 with conservative defaults).\n",
                out.toString());

        String yaml = Files.readString(output);
        assertTrue(yaml.contains(UserModelsWriter.UNKNOWN_COMMENT + "\n  - id: \"acme/brand-new-70b-instruct\"\n"),
                yaml);
        assertEquals(1, yaml.split(UserModelsWriter.UNKNOWN_COMMENT, -1).length - 1, yaml);
        assertTrue(yaml.contains("#   haiku: nvidia/nemotron-3-nano-30b-a3b\n"), yaml);

        UserModels written = UserModelsFile.read(output); // what ncp will read back
        assertEquals(List.of("acme/brand-new-70b-instruct", "deepseek-ai/deepseek-r1",
                "meta/llama-4-maverick-17b-128e-instruct", "team/tuned-coder"),
                written.entries().stream().map(e -> e.id()).toList());
        var known = ModelRegistry.build(List.of(), Optional.empty());
        var fromFile = ModelRegistry.build(List.of(), written, Optional.empty());
        assertEquals(known.model("deepseek-ai/deepseek-r1"), fromFile.model("deepseek-ai/deepseek-r1"));
        assertEquals(known.model("meta/llama-4-maverick-17b-128e-instruct"),
                fromFile.model("meta/llama-4-maverick-17b-128e-instruct"));
        assertEquals(ModelInfo.unknown("acme/brand-new-70b-instruct"), fromFile.model("acme/brand-new-70b-instruct"));
        ModelInfo tuned = fromFile.model("team/tuned-coder");
        assertEquals(65_536, tuned.contextWindow());
        assertEquals("qwen-kwargs", tuned.reasoningStyle());
    }

    @Test
    void anUpstreamRefusalIsOneLineAndWritesNothing() {
        upstream.enqueue(Script.status(401, Map.of("Content-Type", "application/json"),
                "{\"status\":401,\"title\":\"Unauthorized\",\"detail\":\"Authentication failed\"}"));
        Path output = home.resolve("models.yaml");

        assertEquals(1, run("-o", output.toString()));

        assertFalse(Files.exists(output));
        assertEquals("ncp: GET " + upstream.baseUrl() + "/models answered 401: {\"status\":401,\"title\":"
                + "\"Unauthorized\",\"detail\":\"Authentication failed\"} (check NVIDIA_API_KEY)\n", err.toString());
    }

    @Test
    void theOutputOptionIsRequired() {
        assertEquals(2, run());
        assertTrue(err.toString().contains("Missing required option: '--output=<output>'"), err.toString());
    }
}
