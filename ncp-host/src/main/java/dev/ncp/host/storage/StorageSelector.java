package dev.ncp.host.storage;

import dev.ncp.api.storage.StorageEngine;
import dev.ncp.host.config.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Picks the {@link StorageEngine} named by {@code STORAGE_ENGINE} among the built-in engines and those plugins
 * provide. A known engine whose plugin is missing gets a message naming the jar to add.
 */
public final class StorageSelector {

    /** Engines ncp ships as plugins, with the jar that provides each. */
    private static final Map<String, String> SHIPPED_PLUGINS = Map.of(
            "sqlite", "ncp-plugin-storage-sqlite.jar",
            "redis", "ncp-plugin-storage-redis.jar");

    private StorageSelector() {
    }

    public static StorageEngine select(String name, List<StorageEngine> available, List<Path> pluginDirectories) {
        for (StorageEngine engine : available) {
            if (engine.name().equals(name)) {
                return engine;
            }
        }
        String dirs = pluginDirectories.stream().map(Path::toString).collect(Collectors.joining(", "));
        String jar = SHIPPED_PLUGINS.get(name);
        if (jar != null) {
            throw new ConfigException("STORAGE_ENGINE=" + name + " needs the plugin " + jar
                    + ", which is not loaded: put it in one of the plugin directories (" + dirs
                    + ") or choose STORAGE_ENGINE=memory.");
        }
        var names = new TreeSet<String>(SHIPPED_PLUGINS.keySet());
        available.forEach(e -> names.add(e.name()));
        throw new ConfigException("STORAGE_ENGINE=" + name + " is not valid: allowed are "
                + String.join(", ", names) + ".");
    }
}
