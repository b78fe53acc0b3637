package dev.ncp.host.cli;

import dev.ncp.api.storage.StorageException;
import dev.ncp.host.claudecode.ClaudeCodeSession;
import dev.ncp.host.claudecode.ClaudeExecutable;
import dev.ncp.host.config.Config;
import dev.ncp.host.config.ConfigException;
import dev.ncp.host.storage.BuiltinStorageEngines;
import dev.ncp.host.upstream.NvidiaHostedApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ncp code}: the proxy and Claude Code wired to it, in one command. */
@Command(name = "code", mixinStandardHelpOptions = true,
        description = {"Start the proxy and Claude Code wired to it; stop the proxy when Claude Code exits.",
                "Arguments after -- go to claude: ncp code -- -p \"explain this repo\"."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"n:Claude Code's own exit code",
                "2:bad configuration, storage that cannot open, an address that cannot be bound,"
                        + " or no NVIDIA_API_KEY for NVIDIA's API",
                "127:Claude Code is not installed"})
final class CodeCommand implements Callable<Integer> {

    static final int NOT_INSTALLED = 127;

    @Mixin
    ConfigOptions options;

    @Option(names = {"-m", "--model"},
            description = "NIM model for every Claude Code role (main, sub-agents, haiku tasks);"
                    + " default: the family mapping.")
    String model;

    @Option(names = "--max-tokens",
            description = "Hard cap on max_tokens (NCP_HARD_MAX_TOKENS), told to Claude Code too.")
    String maxTokens;

    @Parameters(arity = "0..*", paramLabel = "CLAUDE_ARGS", description = "Arguments for claude (after --).")
    List<String> claudeArgs = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        Config config;
        try {
            config = options.load(model, maxTokens);
        } catch (ConfigException e) {
            System.err.println("ncp: " + e.getMessage());
            return 2;
        }
        if (NvidiaHostedApi.keyMissing(config)) {
            System.err.println("ncp: NVIDIA_API_KEY is not set, and " + config.nvidiaBaseUrl()
                    + " answers nothing without it: " + NvidiaHostedApi.KEY_FIX);
            return 2;
        }
        return switch (ClaudeExecutable.locate(System.getenv())) {
            case ClaudeExecutable.Missing missing -> {
                System.err.println("ncp: " + missing.message());
                yield NOT_INSTALLED;
            }
            case ClaudeExecutable.Found claude -> launch(config, claude.path());
        };
    }

    private int launch(Config config, Path claude) throws InterruptedException {
        logToFile(config.dataDirectory().resolve("logs/ncp-code.log"));
        try {
            Optional<Integer> cap = Optional.ofNullable(maxTokens).flatMap(given -> config.hardMaxTokens());
            return new ClaudeCodeSession(config, BuiltinStorageEngines.all(), claude, Optional.ofNullable(model), cap,
                    System.err).run(claudeArgs);
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
