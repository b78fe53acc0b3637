package dev.ncp.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.api.storage.StorageException;
import dev.ncp.host.claudecode.ClaudeCodeSession;
import dev.ncp.host.claudecode.ClaudeExecutable;
import dev.ncp.host.config.Config;
import dev.ncp.host.config.ConfigException;
import dev.ncp.host.doctor.RunningNcp;
import dev.ncp.host.storage.BuiltinStorageEngines;
import dev.ncp.host.upstream.NvidiaHostedApi;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ncp code}: Claude Code wired to ncp, in one command. Every argument ncp does not define goes to
 * {@code claude} unchanged and in order ({@link NcpCommand#commandLine} turns unknown options into arguments here),
 * so Claude's own flags ({@code -p}, {@code -c}, {@code --resume}) work as they do with {@code claude} itself; ncp's
 * options are long-only for that reason.
 */
@Command(name = "code",
        description = {"Claude Code wired to ncp (a running one, or its own for the session).",
                "Uses the ncp already running at the configured address, or starts one for this session (stopped"
                        + " when Claude Code exits).",
                "Every argument ncp does not define goes to claude unchanged and in order. ncp's own options are"
                        + " long-only; where a name is both ncp's and Claude's (--model), ncp's wins: put Claude's"
                        + " after --, which hands everything after it to claude."},
        footerHeading = "%nExamples:%n",
        footer = {"  ncp code -p \"explain this repo\"      Claude Code's print mode",
                "  ncp code --continue                  continue the last conversation",
                "  ncp code --model claude-qwen3-coder -- --model opus",
                "                                       ncp's --model, then Claude's"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"n:Claude Code's own exit code",
                "2:bad configuration, storage that cannot open, an address that cannot be bound,"
                        + " or no NVIDIA_API_KEY for NVIDIA's API",
                "127:Claude Code is not installed"})
final class CodeCommand implements Callable<Integer> {

    static final int NOT_INSTALLED = 127;

    @Mixin
    ConfigOptions options;

    @Option(names = "--help", usageHelp = true, description = "Show this help (claude's own: ncp code -- --help).")
    boolean help;

    @Option(names = "--model", paramLabel = "MODEL",
            description = "NIM model for every Claude Code role (main, sub-agents, haiku tasks); default: the family"
                    + " mapping (opus, sonnet, haiku each to its NIM model).")
    String model;

    @Option(names = "--max-tokens", paramLabel = "N",
            description = "Hard cap on max_tokens (NCP_HARD_MAX_TOKENS, default none), told to Claude Code too.")
    String maxTokens;

    @Parameters(arity = "0..*", paramLabel = "CLAUDE_ARGS", description = "Arguments for claude, in order.")
    List<String> claudeArgs = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        Config config = options.load(model, maxTokens);
        Path claude;
        switch (ClaudeExecutable.locate(System.getenv())) {
            case ClaudeExecutable.Missing missing -> {
                System.err.println("ncp: " + missing.message());
                return NOT_INSTALLED;
            }
            case ClaudeExecutable.Found found -> claude = found.path();
        }
        Optional<JsonNode> running = runningProxy(config);
        if (running.isPresent()) {
            return session(config, claude).attach(config.listenUrl(), running.get().path("version").asText(),
                    claudeArgs);
        }
        if (NvidiaHostedApi.keyMissing(config)) {
            System.err.println("ncp: NVIDIA_API_KEY is not set, and " + config.nvidiaBaseUrl()
                    + " answers nothing without it: " + NvidiaHostedApi.KEY_FIX);
            return 2;
        }
        return launch(config, claude);
    }

    private ClaudeCodeSession session(Config config, Path claude) {
        Optional<Integer> cap = Optional.ofNullable(maxTokens).flatMap(given -> config.hardMaxTokens());
        return new ClaudeCodeSession(config, BuiltinStorageEngines.all(), claude, Optional.ofNullable(model), cap,
                System.err);
    }

    /** A healthy ncp at the configured address (port 0 means "a fresh one", so never). */
    private static Optional<JsonNode> runningProxy(Config config) {
        if (config.port() == 0) {
            return Optional.empty();
        }
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            return new RunningNcp(http, Duration.ofSeconds(2)).health(config.listenUrl(), config.proxyApiKey())
                    .filter(h -> h.path("status").asText().equals("ok"));
        }
    }

    private int launch(Config config, Path claude) throws InterruptedException {
        logToFile(config.dataDirectory().resolve("logs/ncp-code.log"));
        LogLevel.apply(config);
        try {
            return session(config, claude).run(claudeArgs);
        } catch (ConfigException | StorageException e) {
            // One line, as `ncp proxy` says it: what failed, where, and what to do.
            System.err.println("ncp: " + e.getMessage().replaceAll("\\s*\\R\\s*", " "));
            return 2;
        }
    }

    /**
     * The proxy's log lines would land in the middle of Claude Code's screen: they go to a file instead. Must run
     * before the first logger is created (slf4j-simple reads its settings once).
     */
    private static void logToFile(Path file) {
        try {
            Files.createDirectories(file.getParent());
            System.setProperty("org.slf4j.simpleLogger.logFile", file.toString());
        } catch (IOException | RuntimeException e) {
            System.err.println("ncp: cannot write " + file + " (" + e.getMessage() + "); proxy logs go to stderr.");
        }
    }
}
