package dev.ncp.host.plugin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.DefaultPluginManager;
import org.pf4j.DependencyResolver;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginWrapper;

/**
 * PF4J's default manager, changed in one way: a plugin that fails to load (corrupt jar, bad manifest, missing
 * dependency) is recorded as a {@link PluginLoadFailure} instead of a stack trace in the log, and never stops the
 * other plugins from loading.
 */
final class NcpPluginManager extends DefaultPluginManager {

    private final List<PluginLoadFailure> failures = new ArrayList<>();

    NcpPluginManager(List<Path> roots) {
        super(roots);
        setResolveRecoveryStrategy(ResolveRecoveryStrategy.IGNORE_PLUGIN_AND_CONTINUE);
    }

    @Override
    protected PluginDescriptorFinder createPluginDescriptorFinder() {
        return new PluginDescriptors();
    }

    @Override
    protected PluginWrapper loadPluginFromPath(Path pluginPath) {
        try {
            return super.loadPluginFromPath(pluginPath);
        } catch (RuntimeException | LinkageError e) {
            failures.add(new PluginLoadFailure(pluginPath, reason(e)));
            return null;
        }
    }

    /**
     * PF4J drops plugins with missing or wrong-version dependencies and then resolves again (calling this method
     * recursively), so the reasons are recorded from a first look at the dependency graph.
     */
    @Override
    protected DependencyResolver.Result resolveDependencies() {
        var descriptors = getPlugins().stream().map(PluginWrapper::getDescriptor).toList();
        DependencyResolver.Result first = dependencyResolver.resolve(descriptors);
        for (String missing : first.getNotFoundDependencies()) {
            for (String dependent : dependencyResolver.getDependents(missing)) {
                failures.add(new PluginLoadFailure(pathOf(dependent),
                        "needs plugin '" + missing + "', which is not installed"));
            }
        }
        for (DependencyResolver.WrongDependencyVersion wrong : first.getWrongVersionDependencies()) {
            failures.add(new PluginLoadFailure(pathOf(wrong.getDependentId()), "needs plugin '"
                    + wrong.getDependencyId() + "' " + wrong.getRequiredVersion() + " but "
                    + wrong.getExistingVersion() + " is installed"));
        }
        return super.resolveDependencies();
    }

    private Path pathOf(String pluginId) {
        PluginWrapper plugin = getPlugin(pluginId);
        return plugin != null ? plugin.getPluginPath() : Path.of(pluginId);
    }

    List<PluginLoadFailure> failures() {
        return List.copyOf(failures);
    }

    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        if (message.contains("Field 'id' cannot be empty")) {
            return "its manifest has no Plugin-Id, so it is not an ncp plugin jar";
        }
        if (root instanceof java.util.zip.ZipException || message.contains("zip")) {
            return "not a readable jar (" + message + ")";
        }
        return message.lines().findFirst().orElse(message);
    }
}
