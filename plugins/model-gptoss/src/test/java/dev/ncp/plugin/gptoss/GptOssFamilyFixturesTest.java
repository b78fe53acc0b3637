package dev.ncp.plugin.gptoss;

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
 * gpt-oss answers as NIM streams them — the {@code reasoning} field, the older {@code reasoning_content}, reasoning
 * then parallel tool calls —
 * through a whole ncp with the plugin jar loaded, cut at every byte: the SDK's streamed and non-streamed
 * messages are always the expected one ({@code family/*.expected.json}). One proxy serves the whole class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GptOssFamilyFixturesTest {

    private ProxyHarness proxy;

    @BeforeAll
    void start() throws Exception {
        Path plugins = Files.createTempDirectory("ncp-gptoss-plugins");
        PluginJars.fromClassesOf(GptOssAdapter.class, "model-gptoss", plugins);
        proxy = ProxyHarness.start(Map.of("NCP_PLUGINS_DIR", plugins.toString()));
    }

    @AfterAll
    void stop() {
        proxy.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "gpt-oss-reasoning-field,     openai/gpt-oss-120b, true",
            "gpt-oss-reasoning-content,   openai/gpt-oss-120b, true",
            "gpt-oss-parallel-tool-calls, openai/gpt-oss-120b, true"})
    void everyCutGivesTheExpectedMessage(String fixture, String model, boolean thinking) {
        EveryCutThroughTheProxy.assertEveryCutGives(proxy, EveryCutThroughTheProxy.request(model, thinking),
                "/family/" + fixture + ".sse", Path.of("src/test/resources/family", fixture + ".expected.json"));
    }
}
