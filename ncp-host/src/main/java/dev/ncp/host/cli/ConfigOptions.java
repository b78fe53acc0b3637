package dev.ncp.host.cli;

import dev.ncp.host.config.Config;
import dev.ncp.host.config.ConfigLoader;
import dev.ncp.host.config.ResolvedSettings;
import dev.ncp.host.config.Setting;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The configuration flags every command that builds a {@link Config} takes, and the loading itself. Long names only:
 * {@code ncp code} hands every short flag to Claude Code ({@code -p} is Claude's print mode there); the commands that
 * take {@code -p} for the port use {@link ConfigOptionsWithShortPort}.
 */
class ConfigOptions {

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to bind (PROXY_HOST, default 127.0.0.1).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (PROXY_PORT, default 8788).")
    String port;

    @Option(names = "--storage", paramLabel = "ENGINE",
            description = "Storage engine: memory, sqlite, redis (STORAGE_ENGINE, default sqlite).")
    String storage;

    @Option(names = "--plugins-dir", paramLabel = "DIRS",
            description = "Plugin directories, ':'-separated (NCP_PLUGINS_DIR, default the bundle's plugins/ and"
                    + " ~/.ncp/plugins).")
    String pluginsDir;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config file (default ~/.ncp/config.yaml).")
    Path configFile;

    /**
     * Loads the configuration with these flags over environment, {@code .env} and file; the warnings found on the way
     * go to stderr, one line each.
     *
     * @param model     the command's {@code --model} (NCP_DEFAULT_MODEL), null when not given
     * @param maxTokens the command's {@code --max-tokens} (NCP_HARD_MAX_TOKENS), null when not given
     */
    Config load(String model, String maxTokens) {
        ResolvedSettings resolved = resolve(model, maxTokens);
        printWarnings(resolved, System.err);
        return loader().build(resolved);
    }

    /**
     * As {@link #load}, but an upstream's unset key variable leaves it keyless rather than failing: {@code ncp
     * doctor} reports it, and {@code ncp models} needs no key.
     */
    Config loadForInspection() {
        ResolvedSettings resolved = resolve(null, null);
        printWarnings(resolved, System.err);
        return loader().lettingUpstreamKeysBeMissing().build(resolved);
    }

    /** The sources added up, not yet typed (what {@code ncp config show} prints). */
    ResolvedSettings resolve(String model, String maxTokens) {
        Map<String, String> flags = new HashMap<>();
        put(flags, Setting.PROXY_HOST, host);
        put(flags, Setting.PROXY_PORT, port);
        put(flags, Setting.STORAGE_ENGINE, storage);
        put(flags, Setting.NCP_PLUGINS_DIR, pluginsDir);
        put(flags, Setting.NCP_DEFAULT_MODEL, model);
        put(flags, Setting.NCP_HARD_MAX_TOKENS, maxTokens);
        return loader().resolve(Optional.ofNullable(configFile), flags);
    }

    static void printWarnings(ResolvedSettings resolved, PrintStream err) {
        resolved.warnings().forEach(w -> err.println("ncp: warning: " + w));
    }

    /** The loader for this process: its environment, home directory, working directory and bundle location. */
    static ConfigLoader loader() {
        Optional<Path> home = Optional.ofNullable(System.getProperty("ncp.home")).map(Path::of);
        return new ConfigLoader(System.getenv(), Path.of(System.getProperty("user.home")), home,
                Optional.of(Path.of(System.getProperty("user.dir"))));
    }

    private static void put(Map<String, String> flags, Setting setting, String value) {
        if (value != null) {
            flags.put(setting.name(), value);
        }
    }
}
