package dev.ncp.plugin.deepseek;

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
 * DeepSeek answers as NIM streams them — R1's {@code reasoning_content}, R1's inline {@code <think>} and its
 * template-opened reasoning closed by a bare {@code </think>}, V3.1's
 * reasoning then parallel tool calls —
 * through a whole ncp with the plugin jar loaded, cut at every byte: the SDK's streamed and non-streamed
 * messages are always the expected one ({@code family/*.expected.json}). One proxy serves the whole class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeepSeekFamilyFixturesTest {

    private ProxyHarness proxy;

    @BeforeAll
    void start() throws Exception {
        Path plugins = Files.createTempDirectory("ncp-deepseek-plugins");
        PluginJars.fromClassesOf(DeepSeekAdapter.class, "model-deepseek", plugins);
        proxy = ProxyHarness.start(Map.of("NCP_PLUGINS_DIR", plugins.toString()));
    }

    @AfterAll
    void stop() {
        proxy.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "deepseek-r1-reasoning-content,     deepseek-ai/deepseek-r1-0528, true",
            "deepseek-r1-think-tags,            deepseek-ai/deepseek-r1-0528, true",
            "deepseek-r1-bare-close-think,      deepseek-ai/deepseek-r1-0528, true",
            "deepseek-v3.1-parallel-tool-calls, deepseek-ai/deepseek-v3.1,    true"})
    void everyCutGivesTheExpectedMessage(String fixture, String model, boolean thinking) {
        EveryCutThroughTheProxy.assertEveryCutGives(proxy, EveryCutThroughTheProxy.request(model, thinking),
                "/family/" + fixture + ".sse", Path.of("src/test/resources/family", fixture + ".expected.json"));
    }
}
