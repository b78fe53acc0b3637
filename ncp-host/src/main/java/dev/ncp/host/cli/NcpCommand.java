package dev.ncp.host.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ncp} command line. Subcommands appear here only once they work. */
@Command(name = "ncp", mixinStandardHelpOptions = true,
        description = "Anthropic Messages API proxy for NVIDIA NIM models.")
public final class NcpCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new NcpCommand()).execute(args));
    }
}
