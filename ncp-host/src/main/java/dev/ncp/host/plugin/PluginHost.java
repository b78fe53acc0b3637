package dev.ncp.host.plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * Loads the plugin jars from ncp's plugin directories and hands out their extensions. Plugins are loaded once at
 * startup; a plugin that fails is reported (see {@link #failures()}) and skipped.
 */
public final class PluginHost implements AutoCloseable {

    private final NcpPluginManager manager;
    private final List<Path> directories;

    private PluginHost(NcpPluginManager manager, List<Path> directories) {
        this.manager = manager;
        this.directories = directories;
    }

    /** Loads and starts every plugin found in {@code directories} (missing directories are fine). */
    public static PluginHost load(List<Path> directories) {
        List<Path> existing = directories.stream().filter(Files::isDirectory).toList();
        var manager = new NcpPluginManager(existing);
        if (!existing.isEmpty()) {
            manager.loadPlugins();
            manager.startPlugins();
        }
        return new PluginHost(manager, List.copyOf(directories));
    }

    /** All extensions of {@code type} from started plugins. */
    public <T> List<T> extensions(Class<T> type) {
        return manager.getExtensions(type);
    }

    /** The plugins that loaded and started, sorted by id. */
    public List<LoadedPlugin> plugins() {
        List<LoadedPlugin> out = new ArrayList<>();
        for (PluginWrapper p : manager.getPlugins()) {
            if (p.getPluginState() == PluginState.STARTED) {
                var extensions = manager.getExtensionClassNames(p.getPluginId()).stream().sorted().toList();
                out.add(new LoadedPlugin(p.getPluginId(), p.getDescriptor().getVersion(), p.getPluginPath(),
                        extensions));
            }
        }
        out.sort(Comparator.comparing(LoadedPlugin::id));
        return out;
    }

    /** Plugin files that could not be loaded or started, each with a one-line reason. */
    public List<PluginLoadFailure> failures() {
        List<PluginLoadFailure> out = new ArrayList<>(manager.failures());
        for (PluginWrapper p : manager.getPlugins()) {
            if (p.getPluginState() == PluginState.FAILED) {
                Throwable e = p.getFailedException();
                out.add(new PluginLoadFailure(p.getPluginPath(), "failed to start: "
                        + (e == null ? "unknown reason" : e.getClass().getSimpleName() + ": " + e.getMessage())));
            }
        }
        return out;
    }

    public List<Path> directories() {
        return directories;
    }

    @Override
    public void close() {
        manager.stopPlugins();
        manager.unloadPlugins();
    }
}
