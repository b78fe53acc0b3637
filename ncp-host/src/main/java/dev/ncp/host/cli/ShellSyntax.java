package dev.ncp.host.cli;

import java.util.Locale;
import java.util.Map;

/** How a shell sets an exported variable: {@code export K='v'} (sh, bash, zsh) or {@code set -gx K 'v'} (fish). */
enum ShellSyntax {
    SH, FISH;

    static ShellSyntax of(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "sh", "bash", "zsh", "ksh", "dash" -> SH;
            case "fish" -> FISH;
            default -> throw new IllegalArgumentException("unknown shell " + name + " (allowed: sh, bash, zsh, fish)");
        };
    }

    /** One line per variable, values quoted so that any character survives {@code eval}. */
    String lines(Map<String, String> variables) {
        var out = new StringBuilder();
        variables.forEach((name, value) -> out.append(line(name, value)).append('\n'));
        return out.toString();
    }

    /** The line that removes {@code name} from the environment, newline included. */
    String unset(String name) {
        return switch (this) {
            case SH -> "unset " + name + "\n";
            case FISH -> "set -e " + name + "\n";
        };
    }

    private String line(String name, String value) {
        return switch (this) {
            case SH -> "export " + name + "='" + value.replace("'", "'\\''") + "'";
            case FISH -> "set -gx " + name + " '" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
        };
    }
}
