package dev.ncp.host.cli;

import dev.ncp.api.storage.StorageException;
import dev.ncp.host.config.Config;
import dev.ncp.host.config.ConfigException;
import dev.ncp.host.config.Version;
import dev.ncp.host.doctor.RunningNcp;
import dev.ncp.host.http.ListenPort;
import dev.ncp.host.server.NcpServer;
import dev.ncp.host.server.StartupDiagnostics;
import dev.ncp.host.storage.BuiltinStorageEngines;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ncp proxy}: starts the proxy and runs until interrupted. */
@Command(name = "proxy", aliases = "run", mixinStandardHelpOptions = true,
        description = {"Start the proxy in the foreground (ncp start: in the background).",
                "Anthropic Messages API on the outside, NVIDIA NIM upstream. Ctrl-C stops it, letting answers in"
                        + " flight finish (NCP_SHUTDOWN_TIMEOUT_SECONDS)."},
        footerHeading = "%nExample:%n",
        footer = "  NVIDIA_API_KEY=nvapi-... ncp proxy --port 8787 --storage memory",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by a signal", "2:bad configuration, storage that cannot open, or an address that"
                + " cannot be bound"})
final class ProxyCommand implements Callable<Integer> {

    /** The server's options, as {@code start} and {@code restart} take them ({@code -p} kept as the port). */
    @Mixin
    ServerOptions options;

    /** Written by {@code ncp start}'s background proxy once it listens, removed when it stops. */
    @Option(names = "--pid-file", hidden = true)
    Path pidFile;

    @Override
    public Integer call() throws InterruptedException {
        Config config;
        NcpServer server;
        try {
            config = options.load();
            if (alreadyRunning(config)) {
                System.err.println("ncp: an ncp already runs on " + config.listenUrl() + " (ncp status describes it);"
                        + " choose another port with --port, or stop that one.");
                return 2;
            }
            LogLevel.apply(config);
            server = NcpServer.start(config, BuiltinStorageEngines.all());
        } catch (ConfigException | StorageException e) {
            // One line: what failed, where, and what to do (a storage engine's message names its file or address).
            System.err.println("ncp: " + e.getMessage().replaceAll("\\s*\\R\\s*", " "));
            return 2;
        }
        PidFile pid = pidFile == null ? null : PidFile.writeCurrent(pidFile);
        StartupDiagnostics.lines(server, Version.current()).forEach(System.out::println);
        System.out.flush();
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            if (pid != null) {
                pid.delete();
            }
            stopped.countDown();
        }, "ncp-shutdown"));
        stopped.await();
        return 0;
    }

    /** Only asked when the port is taken, so a free port costs no HTTP call. */
    private static boolean alreadyRunning(Config config) {
        if (config.port() == 0 || ListenPort.isFree(config.host(), config.port())) {
            return false;
        }
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            return new RunningNcp(http, Duration.ofSeconds(2)).health(config.listenUrl(), config.proxyApiKey())
                    .isPresent();
        }
    }
}
