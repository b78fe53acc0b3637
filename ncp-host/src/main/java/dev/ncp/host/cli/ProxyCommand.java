package dev.ncp.host.cli;

import dev.ncp.api.storage.StorageException;
import dev.ncp.host.config.Config;
import dev.ncp.host.config.ConfigException;
import dev.ncp.host.config.Version;
import dev.ncp.host.server.NcpServer;
import dev.ncp.host.server.StartupDiagnostics;
import dev.ncp.host.storage.BuiltinStorageEngines;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ncp proxy}: starts the proxy and runs until interrupted. */
@Command(name = "proxy", aliases = {"run", "r2"}, mixinStandardHelpOptions = true,
        description = "Start the proxy (Anthropic Messages API on the outside, NVIDIA NIM upstream).")
final class ProxyCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = {"-m", "--model"}, description = "Default upstream model (NCP_DEFAULT_MODEL).")
    String model;

    @Option(names = "--max-tokens", description = "Hard cap on max_tokens (NCP_HARD_MAX_TOKENS).")
    String maxTokens;

    @Override
    public Integer call() throws InterruptedException {
        Config config;
        NcpServer server;
        try {
            config = options.load(model, maxTokens);
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
}
