package dev.ncp.host.cli;

import dev.ncp.host.config.Config;
import dev.ncp.host.config.ConfigLoader;
import dev.ncp.host.config.Setting;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The configuration flags every command that builds a {@link Config} takes, and the loading itself. */
final class ConfigOptions {

    @Option(names = "--host", description = "Address to bind (PROXY_HOST, default 127.0.0.1).")
    String host;

    @Option(names = {"-p", "--port"}, description = "Port to listen on (PROXY_PORT, default 8788).")
    String port;

    @Option(names = "--storage", description = "Storage engine: memory, sqlite, redis (STORAGE_ENGINE).")
    String storage;

    @Option(names = "--plugins-dir", description = "Plugin directories, ':'-separated (NCP_PLUGINS_DIR).")
    String pluginsDir;

    @Option(names = "--config", description = "YAML config file (default ~/.ncp/config.yaml).")
    Path configFile;

    /**
     * Loads the configuration with these flags over environment and file.
     *
     * @param model     the command's {@code --model} (NCP_DEFAULT_MODEL), null when not given
     * @param maxTokens the command's {@code --max-tokens} (NCP_HARD_MAX_TOKENS), null when not given
     */
    Config load(String model, String maxTokens) {
        Map<String, String> flags = new HashMap<>();
        put(flags, Setting.PROXY_HOST, host);
        put(flags, Setting.PROXY_PORT, port);
        put(flags, Setting.STORAGE_ENGINE, storage);
        put(flags, Setting.NCP_PLUGINS_DIR, pluginsDir);
        put(flags, Setting.NCP_DEFAULT_MODEL, model);
        put(flags, Setting.NCP_HARD_MAX_TOKENS, maxTokens);
        return loader().load(Optional.ofNullable(configFile), flags);
    }

    /** The loader for this process: its environment, home directory and bundle location. */
    static ConfigLoader loader() {
        Optional<Path> home = Optional.ofNullable(System.getProperty("ncp.home")).map(Path::of);
        return new ConfigLoader(System.getenv(), Path.of(System.getProperty("user.home")), home);
    }

    private static void put(Map<String, String> flags, Setting setting, String value) {
        if (value != null) {
            flags.put(setting.name(), value);
        }
    }
}
