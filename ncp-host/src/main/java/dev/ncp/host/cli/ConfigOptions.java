package dev.ncp.host.cli;

import dev.ncp.host.config.Config;
import dev.ncp.host.config.Setting;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The configuration flags of commands that build a {@link Config} (the same names {@code ncp proxy} takes). */
final class ConfigOptions {

    @Option(names = "--host", description = "Address to bind (PROXY_HOST, default 127.0.0.1).")
    String host;

    @Option(names = "--port", description = "Port to listen on (PROXY_PORT, default 8788).")
    String port;

    @Option(names = "--storage", description = "Storage engine: memory, sqlite, redis (STORAGE_ENGINE).")
    String storage;

    @Option(names = "--plugins-dir", description = "Plugin directories, ':'-separated (NCP_PLUGINS_DIR).")
    String pluginsDir;

    @Option(names = "--config", description = "YAML config file (default ~/.ncp/config.yaml).")
    Path configFile;

    /** Loads the configuration with these flags, plus {@code more} flags by setting, over env and file. */
    Config load(Map<Setting, String> more) {
        Map<String, String> flags = new HashMap<>();
        put(flags, Setting.PROXY_HOST, host);
        put(flags, Setting.PROXY_PORT, port);
        put(flags, Setting.STORAGE_ENGINE, storage);
        put(flags, Setting.NCP_PLUGINS_DIR, pluginsDir);
        more.forEach((setting, value) -> put(flags, setting, value));
        return ProxyCommand.loader().load(Optional.ofNullable(configFile), flags);
    }

    private static void put(Map<String, String> flags, Setting setting, String value) {
        if (value != null) {
            flags.put(setting.name(), value);
        }
    }
}
