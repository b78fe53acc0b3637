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
                "They unset ANTHROPIC_API_KEY too, which would otherwise go to ncp and make Claude Code ask which"
                        + " credential to use."},
        footerHeading = "%nExamples:%n",
        footer = {"  eval \"$(ncp env)\"", "  ncp env --shell fish | source"})
final class EnvCommand implements Callable<Integer> {

    @Mixin
    ConfigOptionsWithShortPort options;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL",
            description = "NIM model for every Claude Code role (default: the family mapping).")
    String model;

    @Option(names = "--max-tokens", paramLabel = "N",
            description = "Output cap to tell Claude Code (CLAUDE_CODE_MAX_OUTPUT_TOKENS, default none).")
    String maxTokens;

    @Option(names = "--shell", paramLabel = "SHELL", defaultValue = "sh",
            description = "sh, bash, zsh or fish (default ${DEFAULT-VALUE}).")
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
        // A real Anthropic key in the shell would go to ncp, and Claude Code would stop to ask which one to use.
        System.out.print(syntax.unset("ANTHROPIC_API_KEY"));
        System.out.print(syntax.lines(ClaudeCodeEnvironment.forProxy(config.listenUrl(), config.proxyApiKey(),
                Optional.ofNullable(model), cap)));
        return 0;
    }
}
