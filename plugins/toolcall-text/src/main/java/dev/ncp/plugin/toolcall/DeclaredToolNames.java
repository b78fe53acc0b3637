package dev.ncp.plugin.toolcall;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Which declared tool a name a model wrote means. Open models often get a tool's name slightly wrong — {@code bash}
 * for {@code Bash}, {@code web-fetch} for {@code web_fetch} — and a call to a name the client never declared fails.
 * Public so that the host's tool guard and this library's recovery agree on the rule.
 */
public final class DeclaredToolNames {

    private DeclaredToolNames() {
    }

    /**
     * The declared name {@code name} means: itself when declared; else the one declared name it equals ignoring case
     * and the difference between {@code -} and {@code _}; else nothing (no match, or more than one).
     */
    public static Optional<String> match(String name, Collection<String> declared) {
        if (name == null || declared.contains(name)) {
            return Optional.ofNullable(name);
        }
        String wanted = normalized(name);
        String found = null;
        for (String candidate : declared) {
            if (normalized(candidate).equals(wanted)) {
                if (found != null) {
                    return Optional.empty(); // ambiguous: leave the call as the model wrote it
                }
                found = candidate;
            }
        }
        return Optional.ofNullable(found);
    }

    private static String normalized(String name) {
        return name.strip().toLowerCase(Locale.ROOT).replace('-', '_');
    }
}
