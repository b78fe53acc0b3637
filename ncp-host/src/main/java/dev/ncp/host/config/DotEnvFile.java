package dev.ncp.host.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code .env} file as the original (python-dotenv) read it: {@code KEY=value} lines, an optional {@code export }
 * prefix, {@code #} comments, values in single quotes (taken as written) or double quotes (with {@code \n}, {@code \"}
 * and {@code \\} escapes). A line that is none of these stops start-up naming the file and line.
 */
public final class DotEnvFile {

    private DotEnvFile() {
    }

    public static Map<String, String> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ConfigException("Cannot read " + file + ": " + e.getMessage() + ".", e);
        }
        return parse(lines, file.toString());
    }

    static Map<String, String> parse(List<String> lines, String where) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? "" : line.substring(0, eq).strip();
            if (!key.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
                throw new ConfigException(where + " line " + (n + 1) + ": expected KEY=value, got: "
                        + Secrets.scrub(lines.get(n).strip()));
            }
            out.put(key, value(line.substring(eq + 1).strip(), where, n + 1));
        }
        return out;
    }

    private static String value(String text, String where, int line) {
        if (text.startsWith("'") || text.startsWith("\"")) {
            char quote = text.charAt(0);
            int end = closing(text, quote);
            if (end < 0) {
                throw new ConfigException(where + " line " + line + ": the value's closing " + quote + " is missing");
            }
            String inner = text.substring(1, end);
            return quote == '\'' ? inner : inner.replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
        }
        int comment = text.indexOf(" #");
        return (comment >= 0 ? text.substring(0, comment) : text).strip();
    }

    private static int closing(String text, char quote) {
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quote == '"') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return -1;
    }
}
