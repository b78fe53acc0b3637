package dev.ncp.host.plugin;

import java.nio.file.Path;
import java.util.List;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PropertiesPluginDescriptorFinder;

/**
 * PF4J's two ways to describe a plugin (plugin.properties, then the jar's manifest), tried as PF4J's compound finder
 * tries them, but without its ERROR log line and stack trace for a file that is not a plugin: the reason travels in
 * the exception instead, and {@link NcpPluginManager} turns it into one line (file and reason).
 */
final class PluginDescriptors implements PluginDescriptorFinder {

    private final List<PluginDescriptorFinder> finders =
            List.of(new PropertiesPluginDescriptorFinder(), new ManifestPluginDescriptorFinder());

    @Override
    public boolean isApplicable(Path pluginPath) {
        return finders.stream().anyMatch(f -> f.isApplicable(pluginPath));
    }

    @Override
    public PluginDescriptor find(Path pluginPath) {
        RuntimeException last = null;
        for (PluginDescriptorFinder finder : finders) {
            if (!finder.isApplicable(pluginPath)) {
                continue;
            }
            try {
                PluginDescriptor descriptor = finder.find(pluginPath);
                if (descriptor != null) {
                    return descriptor;
                }
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw last != null ? last : new PluginRuntimeException("no plugin descriptor in {}", pluginPath);
    }
}
