package dev.ncp.host.cli;

import dev.ncp.host.config.Config;
import dev.ncp.host.config.Setting;
import dev.ncp.host.doctor.RunningNcp;
import dev.ncp.host.http.ListenPort;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The proxy as a background process: {@code ncp start} launches {@code ncp proxy} in a JVM of its own (same JVM
 * options, class path and working directory, so the same {@code .env} and start-up cache), its output appended to
 * {@code <data dir>/logs/ncp-<port>.log}; {@code ncp stop} signals it (SIGTERM: answers in flight finish, up to
 * {@code NCP_SHUTDOWN_TIMEOUT_SECONDS}).
 */
final class BackgroundProxy {

    /** A cold JVM with every plugin loads in a few seconds; a minute is for a very slow machine. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Config config;
    private final PrintStream out;
    private final PrintStream err;
    private final PidFile pidFile;
    private final Path logFile;

    BackgroundProxy(Config config, PrintStream out, PrintStream err) {
        this.config = config;
        this.out = out;
        this.err = err;
        this.pidFile = PidFile.of(config);
        this.logFile = PidFile.logFile(config);
    }

    /** Starts it with {@code proxyArgs}; 0 when it listens, 1 when one runs already, 2 when it could not start. */
    int start(List<String> proxyArgs) throws IOException, InterruptedException {
        String url = config.listenUrl();
        if (config.port() == 0) {
            err.println("ncp: ncp start needs a fixed port (PROXY_PORT or --port), not 0.");
            return 2;
        }
        Optional<ProcessHandle> running = pidFile.process();
        if (running.isPresent()) {
            err.println("ncp: ncp already runs on " + url + " (pid " + running.get().pid() + "); ncp stop stops it,"
                    + " ncp restart restarts it.");
            return 1;
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            if (new RunningNcp(http, Duration.ofSeconds(2)).health(url, config.proxyApiKey()).isPresent()) {
                err.println("ncp: an ncp already answers on " + url + " (not started by ncp start); stop it where it"
                        + " runs, or choose another port with --port.");
                return 1;
            }
        }
        Optional<String> unusable = ListenPort.whyNot(config.host(), config.port());
        if (unusable.isPresent()) {
            err.println("ncp: " + ListenPort.cannotListen(config.host(), config.port(), unusable.get()).getMessage());
            return 2;
        }
        Files.createDirectories(logFile.getParent());
        long logStart = Files.isRegularFile(logFile) ? Files.size(logFile) : 0;
        List<String> command = command(proxyArgs);
        var builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).redirectErrorStream(true);
        Process process = builder.start();
        process.getOutputStream().close(); // no input: the terminal stays the shell's
        return awaitListening(process, url, logStart);
    }

    private int awaitListening(Process process, String url, long logStart) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (HttpClient http = HttpClient.newHttpClient()) {
            var probe = new RunningNcp(http, Duration.ofSeconds(2));
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    err.println("ncp: the proxy did not start (exit " + process.exitValue() + "):");
                    logSince(logStart).lines().forEach(l -> err.println("  " + l));
                    return 2;
                }
                if (probe.health(url, config.proxyApiKey()).isPresent() && Files.isRegularFile(pidFile.path())) {
                    long pid = pidFile.process().map(ProcessHandle::pid).orElse(process.pid());
                    out.println("ncp started in the background (pid " + pid + "): " + url);
                    out.println("  dashboard: " + url + "/dashboard/stream   (ncp ui opens it)");
                    out.println("  log:       " + logFile + "   (ncp logs -f)");
                    out.println("  status:    ncp status;  stop: ncp stop");
                    return 0;
                }
                Thread.sleep(100);
            }
        }
        process.destroy();
        err.println("ncp: the proxy did not answer on " + url + " within " + START_TIMEOUT.toSeconds()
                + " s; stopped it. Its log: " + logFile);
        return 2;
    }

    /** Stops it; 0 when stopped or not running, 1 when an ncp runs there that ncp start did not start. */
    int stop() throws InterruptedException {
        String url = config.listenUrl();
        Optional<ProcessHandle> running = pidFile.process();
        if (running.isEmpty()) {
            try (HttpClient http = HttpClient.newHttpClient()) {
                if (new RunningNcp(http, Duration.ofSeconds(2)).health(url, config.proxyApiKey()).isPresent()) {
                    err.println("ncp: the ncp on " + url + " was not started by ncp start (no pid file at "
                            + pidFile.path() + "); stop it where it runs (Ctrl-C).");
                    return 1;
                }
            }
            out.println("ncp is not running on " + url + ".");
            return 0;
        }
        ProcessHandle process = running.get();
        long grace = Long.parseLong(config.values().getOrDefault(Setting.NCP_SHUTDOWN_TIMEOUT_SECONDS.name(), "30"));
        out.println("Stopping ncp on " + url + " (pid " + process.pid() + "); answers in flight may take up to "
                + grace + " s to finish.");
        process.destroy();
        try {
            // The proxy's own timeout, then a little for plugins and storage to close.
            process.onExit().get(grace + 10, TimeUnit.SECONDS);
            out.println("ncp stopped.");
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            process.destroyForcibly();
            process.onExit().join();
            out.println("ncp did not stop within " + (grace + 10) + " s and was killed.");
        }
        pidFile.delete();
        return 0;
    }

    /** This JVM again (its options, class path and main class), running {@code ncp proxy}. */
    private List<String> command(List<String> proxyArgs) {
        List<String> command = new ArrayList<>();
        Optional<String> setsid = onPath("setsid");
        // Its own session: a terminal that closes, or Ctrl-C in the shell that ran ncp start, leaves it running.
        setsid.ifPresent(command::add);
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(NcpCommand.class.getName());
        command.add("proxy");
        command.addAll(proxyArgs);
        command.add("--pid-file");
        command.add(pidFile.path().toString());
        return command;
    }

    private String logSince(long offset) throws IOException {
        try (var file = new RandomAccessFile(logFile.toFile(), "r")) {
            long from = Math.max(offset, file.length() - 8192);
            file.seek(from);
            byte[] bytes = new byte[(int) (file.length() - from)];
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static Optional<String> onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }
}
