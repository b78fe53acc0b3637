package dev.ncp.plugin.qwen;

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
 * Qwen answers as NIM streams them — {@code reasoning_content}, inline {@code <think>}, Qwen3-Coder's XML call in
 * the content, parallel tool calls —
 * through a whole ncp with the plugin jar loaded, cut at every byte: the SDK's streamed and non-streamed
 * messages are always the expected one ({@code family/*.expected.json}). One proxy serves the whole class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QwenFamilyFixturesTest {

    private ProxyHarness proxy;

    @BeforeAll
    void start() throws Exception {
        Path plugins = Files.createTempDirectory("ncp-qwen-plugins");
        PluginJars.fromClassesOf(QwenAdapter.class, "model-qwen", plugins);
        proxy = ProxyHarness.start(Map.of("NCP_PLUGINS_DIR", plugins.toString()));
    }

    @AfterAll
    void stop() {
        proxy.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "qwen3-reasoning-content,         qwen/qwen3-235b-a22b,                true",
            "qwen3-think-tags,                qwen/qwen3-235b-a22b,                true",
            "qwen3-coder-xml-tool-call,       qwen/qwen3-coder-480b-a35b-instruct, false",
            "qwen3-coder-parallel-tool-calls, qwen/qwen3-coder-480b-a35b-instruct, false"})
    void everyCutGivesTheExpectedMessage(String fixture, String model, boolean thinking) {
        EveryCutThroughTheProxy.assertEveryCutGives(proxy, EveryCutThroughTheProxy.request(model, thinking),
                "/family/" + fixture + ".sse", Path.of("src/test/resources/family", fixture + ".expected.json"));
    }
}
