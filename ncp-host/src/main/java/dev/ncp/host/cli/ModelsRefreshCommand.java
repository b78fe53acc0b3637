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
        description = {"Write a models file (models.yaml format) from the upstream's GET /models.",
                "A file that exists already is kept as FILE.<time>.bak first."},
        footerHeading = "%nExample:%n", footer = "  ncp models-refresh --output ~/.ncp/models.yaml --dry-run | less",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:written (or printed)", "1:the upstream or the file failed", "2:bad configuration"})
final class ModelsRefreshCommand implements Callable<Integer> {

    @Option(names = {"-o", "--output"}, required = true, description = "File to write, e.g. ~/.ncp/models.yaml.")
    Path output;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config file (default ~/.ncp/config.yaml).")
    Path configFile;

    @Option(names = "--dry-run", description = "Print the file instead of writing it (default: write).")
    boolean dryRun;

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
            var resolved = loader.get().resolve(Optional.ofNullable(configFile), Map.of());
            resolved.warnings().forEach(w -> err.println("ncp: warning: " + w));
            config = loader.get().build(resolved);
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
            long unknown = entries.stream().filter(e -> !e.known()).count();
            String kinds = " (" + (entries.size() - unknown) + " described by ncp, " + unknown
                    + " with conservative defaults)";
            if (dryRun) {
                spec.commandLine().getOut().print(text);
                err.println("ncp: dry run: would write " + entries.size() + " models to " + output + kinds
                        + (Files.exists(output) ? ", keeping the present file as a backup" : "") + ".");
                return 0;
            }
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            String backup = backup(output).map(b -> "; the previous file is kept as " + b).orElse("");
            Files.writeString(output, text);
            spec.commandLine().getOut().println("Wrote " + entries.size() + " models to " + output + kinds + backup
                    + ".");
            return 0;
        } catch (IOException e) {
            err.println("ncp: " + e.getMessage());
            return 1;
        }
    }

    /** A copy of the file about to be replaced: the user's own edits to a models file are worth keeping. */
    private static Optional<Path> backup(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .format(java.time.LocalDateTime.now(java.time.ZoneOffset.UTC));
        Path backup = file.resolveSibling(file.getFileName() + "." + stamp + ".bak");
        Files.copy(file, backup, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return Optional.of(backup);
    }

    /** The registry as the proxy would build it (host, plugins, user file), without the default-model override. */
    static ModelRegistry registry(Config config) {
        try (PluginHost plugins = PluginHost.load(config.pluginDirectories())) {
            List<ModelInfo> pluginEntries = plugins.extensions(ModelAdapter.class).stream()
                    .flatMap(a -> a.models().stream()).toList();
            return ModelRegistry.build(pluginEntries, config.userModels(), Optional.empty());
        }
    }
}
