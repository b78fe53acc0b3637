package dev.ncp.host.usage;

import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.TestUsers;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The usage scenarios on the built-in memory engine (SQLite and Redis run them in ncp-dist). */
class UsageMemoryTest extends UsageScenarios {

    @TempDir
    static Path plugins;

    @Override
    protected ProxyHarness startProxy(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("NCP_PLUGINS_DIR", TestUsers.pluginDirectory(plugins).toString());
        return ProxyHarness.start(all);
    }
}
