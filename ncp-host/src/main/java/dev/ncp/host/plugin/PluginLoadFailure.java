package dev.ncp.host.plugin;

import java.nio.file.Path;

/** A plugin file that could not be loaded, and why — reported in one line, while the others still load. */
public record PluginLoadFailure(Path file, String reason) {

    @Override
    public String toString() {
        return file.getFileName() + ": " + reason;
    }
}
