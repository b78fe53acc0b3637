package dev.ncp.host.cli;

import dev.ncp.host.config.Version;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code ncp} command line. Subcommands appear here only once they work. */
@Command(name = "ncp", mixinStandardHelpOptions = true, versionProvider = NcpCommand.VersionProvider.class,
        description = "Anthropic Messages API proxy for NVIDIA NIM models.",
        subcommands = {CodeCommand.class, ProxyCommand.class, StartCommand.class, StopCommand.class,
                RestartCommand.class, StatusCommand.class, LogsCommand.class, UiCommand.class, EnvCommand.class,
                DoctorCommand.class, ConfigCommand.class, ModelsCommand.class, ModelsRefreshCommand.class,
                KeysCommand.class, UsageCommand.class, CompletionCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  ncp code                  Claude Code on NIM (a running ncp, or its own)",
                "  ncp start && ncp status   the proxy in the background",
                "  ncp <command> --help      each command's options and defaults"})
public final class NcpCommand implements Runnable {

    /** {@code proxy}, its alias {@code run}; {@code r2} is registered by {@link #commandLine()} as a hidden copy. */
    private static final java.util.Set<String> PROXY_NAMES = java.util.Set.of("proxy", "run");

    @Override
    public void run() {
        commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        utf8Console();
        System.exit(commandLineFor(args).execute(args));
    }

    /**
     * The command line that runs {@code args}. For the proxy ({@code ncp proxy}, what {@code ncp start}, {@code ncp
     * code} and a service start, where start-up time counts) only the proxy command's model is built, under the same
     * root name, so its usage and errors read the same: picocli reads every subcommand's annotations through
     * reflection when it builds the whole tree, 19 MB of garbage and a few hundred ms of a start on two cores. The
     * whole tree for anything else.
     */
    static CommandLine commandLineFor(String[] args) {
        if (args.length > 0 && PROXY_NAMES.contains(args[0])) {
            CommandLine root = new CommandLine(CommandLine.Model.CommandSpec.create().name("ncp"));
            root.addSubcommand(new CommandLine(new ProxyCommand()));
            return root;
        }
        return commandLine();
    }

    /**
     * The command line with what annotations cannot say: {@code ncp code} passes options it does not know on to
     * Claude Code, in order, instead of refusing them; {@code r2} (the original's name of the proxy command) still
     * works but is not advertised.
     */
    public static CommandLine commandLine() {
        CommandLine root = new CommandLine(new NcpCommand());
        root.getSubcommands().get("code").setUnmatchedOptionsArePositionalParams(true);
        CommandLine r2 = new CommandLine(new ProxyCommand());
        r2.getCommandSpec().aliases(new String[0]).usageMessage().hidden(true);
        root.addSubcommand("r2", r2);
        root.setExecutionExceptionHandler(new BadConfiguration()); // after r2: it reaches the subcommands there are
        return root;
    }

    /**
     * ncp prints arrows and check marks; Java encodes the console by the locale, which in a C/POSIX locale (containers,
     * cron, ssh without LANG) turns them into '?'. UTF-8 is what every terminal of the last decade shows.
     */
    private static void utf8Console() {
        System.setOut(new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 8192), true,
                StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.err), 8192), true,
                StandardCharsets.UTF_8));
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ncp " + Version.current()};
        }
    }
}
