package dev.ncp.plugin.nemotron;

import dev.ncp.host.testing.EveryCutThroughTheProxy;
import dev.ncp.host.testing.PluginJars;
import dev.ncp.host.testing.ProxyHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Nemotron answers as NIM streams them — Nemotron 3's {@code reasoning_content}, Super v1.5's inline
 * {@code <think>}, Nemotron 3's XML call in the content, reasoning then parallel tool calls —
 * through a whole ncp with the plugin jar loaded, cut at every byte: the SDK's streamed and non-streamed
 * messages are always the expected one ({@code family/*.expected.json}). One proxy serves the whole class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NemotronFamilyFixturesTest {

    private ProxyHarness proxy;

    @BeforeAll
    void start() throws Exception {
        Path plugins = Files.createTempDirectory("ncp-nemotron-plugins");
        PluginJars.fromClassesOf(NemotronAdapter.class, "model-nemotron", plugins);
        proxy = ProxyHarness.start(Map.of("NCP_PLUGINS_DIR", plugins.toString()));
    }

    @AfterAll
    void stop() {
        proxy.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "nemotron-3-reasoning-content,   nvidia/nemotron-3-super-120b-a12b,        true",
            "nemotron-super-think-tags,      nvidia/llama-3.3-nemotron-super-49b-v1.5, true",
            "nemotron-3-xml-tool-call,       nvidia/nemotron-3-super-120b-a12b,        false",
            "nemotron-3-parallel-tool-calls, nvidia/nemotron-3-super-120b-a12b,        true"})
    void everyCutGivesTheExpectedMessage(String fixture, String model, boolean thinking) {
        EveryCutThroughTheProxy.assertEveryCutGives(proxy, EveryCutThroughTheProxy.request(model, thinking),
                "/family/" + fixture + ".sse", Path.of("src/test/resources/family", fixture + ".expected.json"));
    }
}
