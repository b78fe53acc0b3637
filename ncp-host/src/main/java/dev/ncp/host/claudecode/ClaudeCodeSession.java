package dev.ncp.host.claudecode;

import dev.ncp.api.storage.StorageEngine;
import dev.ncp.host.config.ClaudeFamily;
import dev.ncp.host.config.Config;
import dev.ncp.host.http.ListenPort;
import dev.ncp.host.plugin.PluginLoadFailure;
import dev.ncp.host.server.NcpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@code ncp code} run: the proxy inside this process, Claude Code as a child process sharing the terminal, the
 * proxy stopped when Claude Code exits, and Claude Code's exit code as the result.
 */
public final class ClaudeCodeSession {

    /** Exit code when the executable exists but cannot be started, as shells use it. */
    public static final int CANNOT_EXECUTE = 126;

    private final Config config;
    private final List<StorageEngine> builtinEngines;
    private final Path claude;
    private final Optional<String> model;
    private final Optional<Integer> maxOutputTokens;
    private final PrintStream status;

    /**
     * @param status where ncp's own lines go; stderr, so that stdout carries only Claude Code's output
     *               ({@code ncp code -- -p "..." --output-format json | jq} works)
     */
    public ClaudeCodeSession(Config config, List<StorageEngine> builtinEngines, Path claude, Optional<String> model,
                             Optional<Integer> maxOutputTokens, PrintStream status) {
        this.config = config;
        this.builtinEngines = List.copyOf(builtinEngines);
        this.claude = claude;
        this.model = model;
        this.maxOutputTokens = maxOutputTokens;
        this.status = status;
    }

    /** Starts the proxy, runs Claude Code with {@code claudeArgs} to its end, stops the proxy. */
    public int run(List<String> claudeArgs) throws InterruptedException {
        NcpServer server = NcpServer.start(listenConfig(), builtinEngines);
        Process process;
        try {
            announce(server);
            process = start(server.config().listenUrl(), claudeArgs);
        } catch (IOException e) {
            server.close();
            status.println("ncp: cannot start " + claude + ": " + e.getMessage());
            return CANNOT_EXECUTE;
        }
        return waitFor(process, server::close);
    }

    /**
     * Runs Claude Code with {@code claudeArgs} against the ncp already running at {@code baseUrl} (started by
     * {@code ncp start}, or in another terminal), which is left running.
     */
    public int attach(String baseUrl, String version, List<String> claudeArgs) throws InterruptedException {
        status.println("ncp: using the ncp " + version + " already running on " + baseUrl + " (dashboard: " + baseUrl
                + "/dashboard/stream, ncp ui opens it); starting " + claude);
        Process process;
        try {
            process = start(baseUrl, claudeArgs);
        } catch (IOException e) {
            status.println("ncp: cannot start " + claude + ": " + e.getMessage());
            return CANNOT_EXECUTE;
        }
        return waitFor(process, () -> { });
    }

    private int waitFor(Process process, Runnable afterClaude) throws InterruptedException {
        var stopped = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopped.compareAndSet(false, true)) {
                stopClaude(process);
                afterClaude.run();
            }
        };
        // ncp killed (Ctrl-C in a print-mode run, a TERM from outside): take Claude Code and the proxy down too.
        Thread hook = new Thread(stop, "ncp-code-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return process.waitFor();
        } finally {
            stop.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The hook runs (or ran) anyway; stopping twice is a no-op.
            }
        }
    }

    /**
     * The configured port, or any free one when it is taken (another ncp, most likely) — said on the status line. An
     * address that cannot be bound at all is left as it is: the proxy's start then says why, in one line.
     */
    private Config listenConfig() {
        if (ListenPort.isFree(config.host(), config.port()) || ListenPort.whyNot(config.host(), 0).isPresent()) {
            return config;
        }
        status.println("ncp: port " + config.port() + " on " + config.host()
                + " is in use; this session's proxy listens on a free port instead (PROXY_PORT chooses another).");
        return config.withPort(0);
    }

    private void announce(NcpServer server) {
        Config c = server.config();
        var targets = server.registry().familyTargets();
        status.println("ncp: proxy on " + c.listenUrl() + " → " + c.nvidiaBaseUrl() + " ("
                + model.map(m -> "every request → " + m)
                        .orElse("opus → " + targets.get(ClaudeFamily.OPUS) + ", sonnet → "
                                + targets.get(ClaudeFamily.SONNET) + ", haiku → " + targets.get(ClaudeFamily.HAIKU))
                + "; dashboard: " + c.listenUrl() + "/dashboard/stream); starting " + claude);
        for (PluginLoadFailure failure : server.plugins().failures()) {
            status.println("ncp: plugin FAILED: " + failure);
        }
    }

    private Process start(String baseUrl, List<String> claudeArgs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(claude.toString());
        command.addAll(claudeArgs);
        var builder = new ProcessBuilder(command).inheritIO();
        Map<String, String> env = builder.environment();
        // A real Anthropic key must not travel to the proxy, and Claude Code would stop to ask which credential to use.
        env.remove("ANTHROPIC_API_KEY");
        env.putAll(ClaudeCodeEnvironment.forProxy(baseUrl, config.proxyApiKey(), model,
                maxOutputTokens));
        return builder.start();
    }

    private static void stopClaude(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
