package dev.ncp.host.config;

import java.util.Locale;
import java.util.Optional;

/**
 * The Claude model families. Claude Code sends whatever names its version knows ({@code claude-opus-5-5},
 * {@code claude-3-5-haiku-20241022}, {@code claude-sonnet-4-5@20250929}...), so names map by family, never by a list.
 */
public enum ClaudeFamily {
    OPUS, SONNET, HAIKU;

    public static Optional<ClaudeFamily> of(String modelName) {
        String n = modelName.toLowerCase(Locale.ROOT);
        if (!n.startsWith("claude") && !n.startsWith("anthropic/claude") && !n.startsWith("anthropic.claude")) {
            return Optional.empty();
        }
        for (ClaudeFamily f : values()) {
            if (n.contains(f.name().toLowerCase(Locale.ROOT))) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
