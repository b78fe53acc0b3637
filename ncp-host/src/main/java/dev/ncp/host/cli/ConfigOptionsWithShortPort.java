package dev.ncp.host.cli;

import picocli.CommandLine.Option;

/**
 * {@link ConfigOptions} plus {@code -p} as the port, hidden: what it was before ncp's options became long-only, kept
 * for the commands where {@code -p} means nothing else ({@code ncp code} hands it to Claude Code as print mode).
 */
final class ConfigOptionsWithShortPort extends ConfigOptions {

    @Option(names = "-p", hidden = true)
    void shortPort(String port) {
        this.port = port;
    }
}
