package dev.ncp.host.plugin;

import java.nio.file.Path;
import java.util.List;

/** A plugin that loaded and started, with the extensions it provides (class names), as {@code /health} shows it. */
public record LoadedPlugin(String id, String version, Path file, List<String> extensions) {

    public LoadedPlugin {
        extensions = List.copyOf(extensions);
    }
}
