package dev.ncp.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/** How {@code ncp}'s command line reads what a user types, and what its help says. */
class CommandLineTest {

    private static CodeCommand code(String... args) {
        CommandLine.ParseResult parsed = NcpCommand.commandLine().parseArgs(args);
        return assertInstanceOf(CodeCommand.class, parsed.subcommand().commandSpec().userObject());
    }

    @Test
    void claudesShortFlagsAndTheirValuesReachClaudeInOrder() {
        CodeCommand c = code("code", "-p", "explain this", "--output-format", "json");
        assertEquals(List.of("-p", "explain this", "--output-format", "json"), c.claudeArgs);
        assertNull(c.options.port, "-p is Claude's print mode, not ncp's port");
    }

    @Test
    void claudesLongFlagsReachClaude() {
        assertEquals(List.of("--continue"), code("code", "--continue").claudeArgs);
        assertEquals(List.of("-r", "abc", "--verbose"), code("code", "-r", "abc", "--verbose").claudeArgs);
        assertEquals(List.of("--output-format=stream-json"), code("code", "--output-format=stream-json").claudeArgs);
    }

    @Test
    void ncpsLongOptionsStayNcpsWhereverTheyStandAndClaudesGoAfterTheDoubleDash() {
        CodeCommand c = code("code", "-c", "--model", "qwen/qwen3-coder-480b-a35b-instruct", "--port", "9000", "-p",
                "hi", "--", "--model", "opus", "--port", "1");
        assertEquals("qwen/qwen3-coder-480b-a35b-instruct", c.model);
        assertEquals("9000", c.options.port);
        assertEquals(List.of("-c", "-p", "hi", "--model", "opus", "--port", "1"), c.claudeArgs);
    }

    @Test
    void theProxyKeepsItsShortOptions() {
        CommandLine.ParseResult parsed = NcpCommand.commandLine().parseArgs("proxy", "-p", "9001", "-m", "x");
        ProxyCommand proxy = assertInstanceOf(ProxyCommand.class, parsed.subcommand().commandSpec().userObject());
        assertEquals("9001", proxy.options.config.port);
        assertEquals("x", proxy.options.model);
    }

    @Test
    void theCommandsThatTakeNoClaudeFlagsTakeMinusPAsThePort() {
        for (String command : List.of("status", "ui", "doctor", "start", "restart", "proxy", "stop", "logs", "env")) {
            CommandLine root = NcpCommand.commandLine();
            root.parseArgs(command, "-p", "9002");
            Object options = switch (root.getSubcommands().get(command).<Object>getCommand()) {
                case StatusCommand c -> c.options;
                case UiCommand c -> c.options;
                case DoctorCommand c -> c.options;
                case StartCommand c -> c.options.config;
                case RestartCommand c -> c.options.config;
                case ProxyCommand c -> c.options.config;
                case StopCommand c -> c.options;
                case LogsCommand c -> c.options;
                case EnvCommand c -> c.options;
                default -> throw new AssertionError(command);
            };
            assertEquals("9002", ((ConfigOptions) options).port, command);
        }
    }

    @Test
    void aConfigurationNoCommandCanLoadEndsItWithOneLineAndExitCode2() throws Exception {
        Path file = java.nio.file.Files.createTempFile("ncp-typo", ".yaml");
        java.nio.file.Files.writeString(file, "PROXY_PROT: 9000\n");
        var err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.err;
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (String command : List.of("status", "ui", "logs", "stop", "usage")) {
                err.reset();
                assertEquals(2, NcpCommand.commandLine().execute(command, "--config", file.toString()), command);
                assertEquals("ncp: " + file + ": unknown setting PROXY_PROT (did you mean PROXY_PORT?)",
                        err.toString(java.nio.charset.StandardCharsets.UTF_8).strip(), command);
            }
        } finally {
            System.setErr(saved);
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void r2StillStartsTheProxyButIsNotAdvertised() {
        CommandLine root = NcpCommand.commandLine();
        assertInstanceOf(ProxyCommand.class, root.parseArgs("r2").subcommand().commandSpec().userObject());
        assertInstanceOf(ProxyCommand.class, root.parseArgs("run").subcommand().commandSpec().userObject());
        String usage = root.getUsageMessage();
        assertFalse(usage.contains("r2"), usage);
        assertTrue(usage.contains("proxy, run"), usage);
    }

    @Test
    void theProxysOwnCommandLineReadsAndParsesAsTheWholeTreeDoes() {
        for (String name : List.of("proxy", "run")) {
            CommandLine alone = NcpCommand.commandLineFor(new String[] {name, "--port", "9001"});
            CommandLine whole = NcpCommand.commandLine();
            assertEquals(1, new java.util.HashSet<>(alone.getSubcommands().values()).size(),
                    "only the proxy's model is built (under its name and its alias)");
            assertEquals(whole.getSubcommands().get(name).getUsageMessage(),
                    alone.getSubcommands().get(name).getUsageMessage());
            CommandLine.ParseResult parsed = alone.parseArgs(name, "-p", "9001", "-m", "x");
            ProxyCommand proxy = assertInstanceOf(ProxyCommand.class, parsed.subcommand().commandSpec().userObject());
            assertEquals("9001", proxy.options.config.port);
            assertEquals("x", proxy.options.model);
        }
        assertTrue(NcpCommand.commandLineFor(new String[] {"status"}).getSubcommands().size() > 10,
                "every other command gets the whole tree");
    }

    @Test
    void keysOptionsWorkAfterTheSubcommandToo() {
        CommandLine root = NcpCommand.commandLine();
        root.parseArgs("keys", "list", "--file", "/tmp/k.json", "--config", "/tmp/c.yaml");
        KeysCommand keys = root.getSubcommands().get("keys").getCommand();
        assertEquals(Path.of("/tmp/k.json"), keys.file);
        assertEquals(Path.of("/tmp/c.yaml"), keys.configFile);
    }

    @Test
    void everyCommandsHelpHasAnExampleAndEveryValueOptionItsDefault() {
        List<String> problems = new ArrayList<>();
        check(NcpCommand.commandLine(), problems);
        assertEquals(List.of(), problems);
    }

    private static void check(CommandLine command, List<String> problems) {
        CommandSpec spec = command.getCommandSpec();
        if (!spec.usageMessage().hidden()) {
            String usage = command.getUsageMessage();
            if (!usage.contains("Example")) {
                problems.add(spec.qualifiedName() + ": no example");
            }
            for (OptionSpec o : spec.options()) {
                boolean takesValue = o.arity().max() > 0;
                String text = String.join(" ", o.description());
                if (!o.hidden() && takesValue && !o.usageHelp() && !o.versionHelp() && !o.required()
                        && !text.toLowerCase(java.util.Locale.ROOT).contains("default")) {
                    problems.add(spec.qualifiedName() + " " + o.longestName() + ": no default in '" + text + "'");
                }
            }
        }
        command.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandSpec().name().equals(name)) {
                check(sub, problems);
            }
        });
    }

    @Test
    void bashCompletionKnowsEveryCommandAndFishGetsCompleteLines() {
        var out = new java.io.ByteArrayOutputStream();
        var previous = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(0, NcpCommand.commandLine().execute("completion", "bash"));
        } finally {
            System.setOut(previous);
        }
        String bash = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        for (String command : List.of("code", "start", "stop", "status", "logs", "ui", "config", "models",
                "completion")) {
            assertTrue(bash.contains(command), command + " missing from the bash script");
        }
        assertTrue(bash.contains("complete -F"), bash);
        String fish = CompletionCommand.fish(NcpCommand.commandLine().getCommandSpec());
        assertTrue(fish.contains("complete -c ncp -n __fish_use_subcommand -a start -d 'Start the proxy in the"
                + " background; returns once it answers'"), fish);
        assertTrue(fish.contains("complete -c ncp -n '__fish_seen_subcommand_from logs' -s f -l follow"), fish);
        assertFalse(fish.contains(" -a r2 "), "hidden commands stay hidden");
    }

    @Test
    void envUnsetsTheAnthropicKeyFirst() {
        assertEquals("unset ANTHROPIC_API_KEY\n", ShellSyntax.SH.unset("ANTHROPIC_API_KEY"));
        assertEquals("set -e ANTHROPIC_API_KEY\n", ShellSyntax.FISH.unset("ANTHROPIC_API_KEY"));
    }

    @Test
    void statusSumsTheRequestCountersOfTheMetricsText() {
        String metrics = """
                # HELP ncp_requests_total Messages API requests
                ncp_requests_total{model="a",status="200"} 3.0
                ncp_requests_total{model="b",status="429"} 2.0
                ncp_active_streams 1.0
                """;
        assertEquals("5 answered since start, 1 streaming now", StatusCommand.requests(metrics));
        assertEquals("1h 01m 01s", StatusCommand.uptime(3661));
        assertEquals("2d 00h 00m", StatusCommand.uptime(172_800));
    }
}
