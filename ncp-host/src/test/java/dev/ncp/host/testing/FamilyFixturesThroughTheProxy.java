package dev.ncp.host.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The shell of a model plugin's family test: one ncp with the plugin loaded from its jar serves the whole class, and
 * each case plays one family fixture through it cut at every byte offset ({@link EveryCutThroughTheProxy}). A subclass
 * names its plugin and lists its fixtures; surefire reports it under its own name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class FamilyFixturesThroughTheProxy {

    private final Class<?> pluginClass;
    private final String pluginId;
    private ProxyHarness proxy;

    /** @param pluginClass any class of the plugin (its classes are packed into the jar); @param pluginId its id */
    protected FamilyFixturesThroughTheProxy(Class<?> pluginClass, String pluginId) {
        this.pluginClass = pluginClass;
        this.pluginId = pluginId;
    }

    @BeforeAll
    void startProxyWithThePlugin() throws IOException {
        Path plugins = Files.createTempDirectory("ncp-" + pluginId + "-plugins");
        PluginJars.fromClassesOf(pluginClass, pluginId, plugins);
        proxy = ProxyHarness.start(Map.of("NCP_PLUGINS_DIR", plugins.toString()));
    }

    @AfterAll
    void stopProxy() {
        proxy.close();
    }

    /** Plays {@code family/FIXTURE.sse} for {@code model} and compares with {@code family/FIXTURE.expected.json}. */
    protected void assertEveryCutGivesTheExpectedMessage(String fixture, String model, boolean thinking) {
        EveryCutThroughTheProxy.assertEveryCutGives(proxy, EveryCutThroughTheProxy.request(model, thinking),
                "/family/" + fixture + ".sse", Path.of("src/test/resources/family", fixture + ".expected.json"));
    }
}
