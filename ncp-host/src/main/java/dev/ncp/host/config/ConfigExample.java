package dev.ncp.host.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The bundle's {@code conf/config.example.yaml}, rendered from the {@link Setting} table (the build writes it with
 * {@code ncp config example}), so the example cannot name a setting ncp does not read or miss one it does.
 */
public final class ConfigExample {

    private ConfigExample() {
    }

    public static String render() {
        List<String> out = new ArrayList<>(List.of(
                "# ncp configuration file (optional): copy it to ~/.ncp/config.yaml, or pass --config FILE.",
                "# Written from ncp's settings table (ncp config example prints it). Uncomment what you change;",
                "# each value shown is the default. Flags > environment > .env files > this file > defaults.",
                "# ncp config check validates a file; ncp config show prints every effective value and its source.",
                "# Every setting in detail: docs/configuration.md. Besides settings, this file may hold the models:,",
                "# claude: and routes: sections described there."));
        for (Setting s : Setting.values()) {
            out.add("");
            out.add("# " + s.description());
            out.add("# " + s.name() + ":" + (s.defaultValue() == null ? "" : " " + yaml(s.defaultValue())));
        }
        return String.join("\n", out) + "\n";
    }

    /** A plain YAML scalar when it stays a string of the same text, else double-quoted. */
    private static String yaml(String value) {
        return value.matches("[A-Za-z0-9_./-]+") && !value.matches("(?i)true|false|yes|no|on|off|null")
                || value.matches("[0-9]+|true|false") ? value : "\"" + value.replace("\"", "\\\"") + "\"";
    }
}
