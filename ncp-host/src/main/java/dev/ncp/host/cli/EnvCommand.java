package dev.ncp.host.cli;

import dev.ncp.host.claudecode.ClaudeCodeEnvironment;
import dev.ncp.host.config.Config;
import dev.ncp.host.config.ConfigException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ncp env}: the shell lines that point Claude Code at a running ncp. */
@Command(name = "env", mixinStandardHelpOptions = true,
        description = {"Print the shell lines that point Claude Code at ncp.",
                "Use: eval \"$(ncp env)\"   (fish: ncp env --shell fish | source)"})
final class EnvCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = {"-m", "--model"},
            description = "NIM model for every Claude Code role; default: the family mapping.")
    String model;

    @Option(names = "--max-tokens", description = "Output cap to tell Claude Code (CLAUDE_CODE_MAX_OUTPUT_TOKENS).")
    String maxTokens;

    @Option(names = "--shell", defaultValue = "sh", description = "sh, bash, zsh or fish (default ${DEFAULT-VALUE}).")
    String shell;

    @Override
    public Integer call() {
        ShellSyntax syntax;
        Config config;
        try {
            syntax = ShellSyntax.of(shell);
            config = options.load(model, maxTokens);
        } catch (IllegalArgumentException | ConfigException e) {
            System.err.println("ncp: " + e.getMessage());
            return 2;
        }
        Optional<Integer> cap = Optional.ofNullable(maxTokens).flatMap(given -> config.hardMaxTokens());
        System.out.print(syntax.lines(ClaudeCodeEnvironment.forProxy(config.listenUrl(), config.proxyApiKey(),
                Optional.ofNullable(model), cap)));
        return 0;
    }
}
