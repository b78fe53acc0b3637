package dev.ncp.host.cli;

import dev.ncp.host.config.Config;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The proxy's own options: what {@code ncp proxy} runs with, and {@code ncp start}/{@code restart} hand on. */
final class ServerOptions {

    @Mixin
    ConfigOptionsWithShortPort config;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL",
            description = "Default upstream model (NCP_DEFAULT_MODEL, default: the family mapping).")
    String model;

    @Option(names = "--max-tokens", paramLabel = "N",
            description = "Hard cap on max_tokens (NCP_HARD_MAX_TOKENS, default none).")
    String maxTokens;

    Config load() {
        return config.load(model, maxTokens);
    }

    /** The same options as {@code ncp proxy} flags (the config file's path made absolute). */
    List<String> proxyArgs() {
        List<String> args = new ArrayList<>();
        add(args, "--host", config.host);
        add(args, "--port", config.port);
        add(args, "--storage", config.storage);
        add(args, "--plugins-dir", config.pluginsDir);
        add(args, "--config", config.configFile == null ? null : config.configFile.toAbsolutePath().toString());
        add(args, "--model", model);
        add(args, "--max-tokens", maxTokens);
        return args;
    }

    private static void add(List<String> args, String flag, String value) {
        if (value != null) {
            args.add(flag);
            args.add(value);
        }
    }
}
