package dev.ncp.host.claudecode;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/** Finds the Claude Code executable: {@code NCP_CLAUDE_BIN} when set, else {@code claude} on {@code PATH}. */
public final class ClaudeExecutable {

    /** The variable naming the executable explicitly. */
    public static final String ENV = "NCP_CLAUDE_BIN";

    /** How to install Claude Code, for messages that end with the fix. */
    public static final String INSTALL = "npm install -g @anthropic-ai/claude-code";

    private ClaudeExecutable() {
    }

    /** The result of a lookup: the executable, or one line saying why there is none and how to fix it. */
    public sealed interface Lookup permits Found, Missing {
    }

    public record Found(Path path) implements Lookup {
    }

    /** No usable executable; {@code reason} says why in a few words. */
    public record Missing(String reason) implements Lookup {

        /** The reason and how to install, in one line. */
        public String message() {
            return "Claude Code " + reason + ". Install it with: " + INSTALL + " (or set " + ENV + " to its path).";
        }
    }

    /** Looks the executable up in {@code env} (the process environment, or a test's own). */
    public static Lookup locate(Map<String, String> env) {
        String explicit = env.get(ENV);
        if (explicit != null && !explicit.isBlank()) {
            Path path = executable(explicit);
            return path != null ? new Found(path)
                    : new Missing("is not at " + ENV + "=" + explicit + " (not an executable file)");
        }
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path path = dir.isEmpty() ? null : executable(dir + File.separator + "claude");
            if (path != null) {
                return new Found(path);
            }
        }
        return new Missing("(claude) is not installed or not on PATH");
    }

    private static Path executable(String candidate) {
        try {
            Path path = Path.of(candidate).toAbsolutePath();
            return Files.isRegularFile(path) && Files.isExecutable(path) ? path : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
