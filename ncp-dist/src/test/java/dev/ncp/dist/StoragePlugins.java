package dev.ncp.dist;

import dev.ncp.host.testing.TestUsers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Settings for an in-process ncp ({@code ProxyHarness}) on a storage engine from the built bundle: the engine's
 * plugin jar, loaded by PF4J from a directory of its own exactly as the bundle loads it.
 */
final class StoragePlugins {

    private StoragePlugins() {
    }

    /** {@code env} plus {@code STORAGE_ENGINE=engine} and a plugin directory holding only that engine's jar. */
    static Map<String, String> engine(String engine, Path work, Map<String, String> env) {
        Path dir = work.resolve("plugins-" + engine);
        Path jar = BundleProcess.BUILT_BUNDLE.resolve("plugins/ncp-plugin-storage-" + engine + ".jar");
        try {
            if (!Files.exists(dir.resolve(jar.getFileName()))) {
                Files.createDirectories(dir);
                Files.copy(jar, dir.resolve(jar.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the " + engine + " plugin from " + jar, e);
        }
        Map<String, String> all = new HashMap<>(env);
        all.put("STORAGE_ENGINE", engine);
        all.put("NCP_PLUGINS_DIR", dir.toString());
        return all;
    }

    /** {@code env} with the test auth plugin ({@code TestUsers}) added to its plugin directories. */
    static Map<String, String> withTestUsers(Map<String, String> env, Path work) {
        Map<String, String> all = new HashMap<>(env);
        Path users = TestUsers.pluginDirectory(work.resolve("plugins-test-users"));
        all.merge("NCP_PLUGINS_DIR", users.toString(), (dirs, more) -> dirs + ":" + more);
        return all;
    }
}
