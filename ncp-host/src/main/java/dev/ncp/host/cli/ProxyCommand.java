package dev.ncp.host.cli;

import dev.ncp.api.storage.StorageException;
import dev.ncp.host.NcpServer;
import dev.ncp.host.StartupDiagnostics;
import dev.ncp.host.Version;
import dev.ncp.host.config.Config;
import dev.ncp.host.config.ConfigException;
import dev.ncp.host.config.ConfigLoader;
import dev.ncp.host.config.Setting;
import dev.ncp.host.storage.BuiltinStorageEngines;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ncp proxy}: starts the proxy and runs until interrupted. */
@Command(name = "proxy", aliases = {"run", "r2"}, mixinStandardHelpOptions = true,
        description = "Start the proxy (Anthropic Messages API on the outside, NVIDIA NIM upstream).")
final class ProxyCommand implements Callable<Integer> {

    @Option(names = "--host", description = "Address to bind (PROXY_HOST, default 127.0.0.1).")
    String host;

    @Option(names = {"-p", "--port"}, description = "Port to listen on (PROXY_PORT, default 8788).")
    String port;

    @Option(names = "--storage", description = "Storage engine: memory, sqlite, redis (STORAGE_ENGINE).")
    String storage;

    @Option(names = {"-m", "--model"}, description = "Default upstream model (NCP_DEFAULT_MODEL).")
    String model;

    @Option(names = "--max-tokens", description = "Hard cap on max_tokens (NCP_HARD_MAX_TOKENS).")
    String maxTokens;

    @Option(names = "--plugins-dir", description = "Plugin directories, ':'-separated (NCP_PLUGINS_DIR).")
    String pluginsDir;

    @Option(names = "--config", description = "YAML config file (default ~/.ncp/config.yaml).")
    Path configFile;

    @Override
    public Integer call() throws InterruptedException {
        Config config;
        NcpServer server;
        try {
            config = loader().load(Optional.ofNullable(configFile), flags());
            server = NcpServer.start(config, BuiltinStorageEngines.all());
        } catch (ConfigException | StorageException e) {
            // One line: what failed, where, and what to do (a storage engine's message names its file or address).
            System.err.println("ncp: " + e.getMessage().replaceAll("\\s*\\R\\s*", " "));
            return 2;
        }
        StartupDiagnostics.lines(server, Version.current()).forEach(System.out::println);
        System.out.flush();
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "ncp-shutdown"));
        stopped.await();
        return 0;
    }

    static ConfigLoader loader() {
        Optional<Path> home = Optional.ofNullable(System.getProperty("ncp.home")).map(Path::of);
        return new ConfigLoader(System.getenv(), Path.of(System.getProperty("user.home")), home);
    }

    private Map<String, String> flags() {
        Map<String, String> flags = new HashMap<>();
        put(flags, Setting.PROXY_HOST, host);
        put(flags, Setting.PROXY_PORT, port);
        put(flags, Setting.STORAGE_ENGINE, storage);
        put(flags, Setting.NCP_DEFAULT_MODEL, model);
        put(flags, Setting.NCP_HARD_MAX_TOKENS, maxTokens);
        put(flags, Setting.NCP_PLUGINS_DIR, pluginsDir);
        return flags;
    }

    private static void put(Map<String, String> flags, Setting setting, String value) {
        if (value != null) {
            flags.put(setting.name(), value);
        }
    }
}
