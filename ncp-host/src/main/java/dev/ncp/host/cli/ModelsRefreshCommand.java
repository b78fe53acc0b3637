package dev.ncp.host.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.model.ModelAdapter;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.host.config.Config;
import dev.ncp.host.config.ConfigException;
import dev.ncp.host.config.ConfigLoader;
import dev.ncp.host.config.UserModelsWriter;
import dev.ncp.host.model.ModelRegistry;
import dev.ncp.host.plugin.PluginHost;
import dev.ncp.host.upstream.ModelListClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ncp models-refresh --output FILE}: asks the upstream which models it serves ({@code GET /models}), takes
 * what ncp knows about each (host, plugin and user entries), and writes a models file the user can edit and use
 * as {@code ~/.ncp/models.yaml}. Models ncp knows nothing about get conservative defaults and a comment saying so.
 */
@Command(name = "models-refresh", mixinStandardHelpOptions = true,
        description = "Write a models file (models.yaml format) from the upstream's GET /models.")
final class ModelsRefreshCommand implements Callable<Integer> {

    @Option(names = {"-o", "--output"}, required = true, description = "File to write, e.g. ~/.ncp/models.yaml.")
    Path output;

    @Option(names = "--config", description = "YAML config file (default ~/.ncp/config.yaml).")
    Path configFile;

    @Spec
    CommandSpec spec;

    private final Supplier<ConfigLoader> loader;

    ModelsRefreshCommand() {
        this(ConfigOptions::loader);
    }

    /** For tests: configuration from a given environment and home instead of the process's. */
    ModelsRefreshCommand(Supplier<ConfigLoader> loader) {
        this.loader = loader;
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Config config;
        ModelRegistry registry;
        try {
            config = loader.get().load(Optional.ofNullable(configFile), Map.of());
            registry = registry(config);
        } catch (ConfigException e) {
            err.println("ncp: " + e.getMessage());
            return 2;
        }
        var client = new ModelListClient(config.nvidiaBaseUrl(), config.nvidiaApiKey(), new ObjectMapper());
        try {
            List<UserModelsWriter.Entry> entries = client.ids().stream().distinct().sorted()
                    .map(id -> new UserModelsWriter.Entry(registry.describes(id) ? registry.model(id)
                            : ModelInfo.unknown(id), registry.describes(id)))
                    .toList();
            String text = new UserModelsWriter().render(client.modelsUri().toString(), entries,
                    registry.familyTargets());
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(output, text);
            long unknown = entries.stream().filter(e -> !e.known()).count();
            spec.commandLine().getOut().println("Wrote " + entries.size() + " models to " + output + " ("
                    + (entries.size() - unknown) + " described by ncp, " + unknown + " with conservative defaults).");
            return 0;
        } catch (IOException e) {
            err.println("ncp: " + e.getMessage());
            return 1;
        }
    }

    /** The registry as the proxy would build it (host, plugins, user file), without the default-model override. */
    private static ModelRegistry registry(Config config) {
        try (PluginHost plugins = PluginHost.load(config.pluginDirectories())) {
            List<ModelInfo> pluginEntries = plugins.extensions(ModelAdapter.class).stream()
                    .flatMap(a -> a.models().stream()).toList();
            return ModelRegistry.build(pluginEntries, config.userModels(), Optional.empty());
        }
    }
}
