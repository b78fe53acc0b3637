package dev.ncp.host.cli;

import dev.ncp.host.config.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code ncp} command line. Subcommands appear here only once they work. */
@Command(name = "ncp", mixinStandardHelpOptions = true, versionProvider = NcpCommand.VersionProvider.class,
        description = "Anthropic Messages API proxy for NVIDIA NIM models.",
        subcommands = {ProxyCommand.class, CodeCommand.class, EnvCommand.class, DoctorCommand.class,
                ModelsRefreshCommand.class, KeysCommand.class, UsageCommand.class})
public final class NcpCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new NcpCommand()).execute(args));
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ncp " + Version.current()};
        }
    }
}
