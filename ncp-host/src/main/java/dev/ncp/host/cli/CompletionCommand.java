package dev.ncp.host.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code ncp completion bash|zsh|fish}: a shell completion script for every command and option. bash gets picocli's
 * generated script; zsh the same script, which loads zsh's bash-completion layer (bashcompinit) itself; fish a list
 * of {@code complete} lines made from the same command model (commands, options and their descriptions; no value
 * completion).
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a shell completion script for ncp.",
        footerHeading = "%nExamples:%n",
        footer = {"  source <(ncp completion bash)                        bash (e.g. in ~/.bashrc)",
                "  source <(ncp completion zsh)                         zsh (in ~/.zshrc, after compinit)",
                "  ncp completion fish > ~/.config/fish/completions/ncp.fish"},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:printed", "2:unknown shell"})
final class CompletionCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash, zsh or fish.")
    String shell;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        switch (shell.toLowerCase(Locale.ROOT)) {
            case "bash", "zsh" -> System.out.print(AutoComplete.bash("ncp", root));
            case "fish" -> System.out.print(fish(root.getCommandSpec()));
            default -> {
                System.err.println("ncp: no completion for shell " + shell + " (allowed: bash, zsh, fish)");
                return 2;
            }
        }
        return 0;
    }

    static String fish(CommandSpec root) {
        var out = new StringBuilder("# ncp completions for fish:"
                + " ncp completion fish > ~/.config/fish/completions/ncp.fish\n");
        out.append("complete -c ncp -f\n");
        root.subcommands().forEach((name, sub) -> {
            CommandSpec c = sub.getCommandSpec();
            if (c.usageMessage().hidden() || !c.name().equals(name)) {
                return; // aliases and hidden commands: the main name is enough
            }
            out.append("complete -c ncp -n __fish_use_subcommand -a ").append(name).append(" -d ")
                    .append(quote(first(c.usageMessage().description()))).append('\n');
            for (OptionSpec o : c.options()) {
                if (o.hidden()) {
                    continue;
                }
                out.append("complete -c ncp -n '__fish_seen_subcommand_from ").append(name).append("'");
                for (String n : o.names()) {
                    out.append(n.startsWith("--") ? " -l " + n.substring(2) : " -s " + n.substring(1));
                }
                if (o.arity().max() > 0) {
                    out.append(" -r");
                }
                out.append(" -d ").append(quote(first(o.description()))).append('\n');
            }
            c.subcommands().forEach((subName, subSub) -> {
                if (subSub.getCommandSpec().name().equals(subName)) {
                    out.append("complete -c ncp -n '__fish_seen_subcommand_from ").append(name).append("' -a ")
                            .append(subName).append(" -d ")
                            .append(quote(first(subSub.getCommandSpec().usageMessage().description()))).append('\n');
                }
            });
        });
        return out.toString();
    }

    private static String first(String[] lines) {
        List<String> all = List.of(lines);
        String text = all.isEmpty() ? "" : all.get(0);
        int stop = text.indexOf(". ");
        return stop > 0 ? text.substring(0, stop) : text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    private static String quote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
