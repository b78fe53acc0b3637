package dev.ncp.host.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The original nvd-claude-proxy's names that ncp spells differently, as they appear in a {@code .env} file or the
 * config file of a user moving over: each one ncp has a setting for is honoured under ncp's name, the rest get one
 * warning line each. Not applied to the process environment, which other programs share ({@code DATABASE_URL} and
 * {@code LOG_LEVEL} there are as likely to be another program's).
 */
final class OriginalNames {

    /** Names of the original's settings that have no ncp equivalent, and what to do instead. */
    private static final Map<String, String> WITHOUT_EQUIVALENT = Map.of(
            "UPSTREAM_HTTP2", "ncp negotiates HTTP/2 with the upstream by itself",
            "NCP_CLAUDE_CODE_MAX_OUTPUT_TOKENS", "use ncp code --max-tokens N",
            "NVM_DIR", "ncp finds claude on PATH, or set NCP_CLAUDE_BIN to its path");

    private static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");

    private OriginalNames() {
    }

    /** Every name this class recognises (for "did you mean" and the config file's key check). */
    static Set<String> names() {
        var all = new java.util.HashSet<>(WITHOUT_EQUIVALENT.keySet());
        all.addAll(List.of("LOG_LEVEL", "MODEL_CONFIG_PATH", "MAX_RETRIES", "DATABASE_URL"));
        return all;
    }

    /**
     * One layer's values with the original's names replaced by ncp's (unless the layer sets ncp's name too).
     *
     * @param base     the directory relative paths in the layer are relative to (the original's were relative to its
     *                 working directory, where its {@code .env} usually was)
     * @param where    the file, for the warnings
     * @param warnings receives one line per name ncp does not use
     */
    static Map<String, String> translate(Map<String, String> layer, Path base, String where, List<String> warnings) {
        Map<String, String> out = new LinkedHashMap<>(layer);
        move(out, "LOG_LEVEL", Setting.NCP_LOG_LEVEL, v -> logLevel(v, where, warnings));
        move(out, "MODEL_CONFIG_PATH", Setting.NCP_MODELS_FILE, v -> Optional.of(base.resolve(v).toString()));
        move(out, "MAX_RETRIES", Setting.NCP_MAX_RETRIES, Optional::of);
        move(out, "DATABASE_URL", Setting.NCP_SQLITE_PATH, v -> sqlitePath(v, base, where, warnings));
        WITHOUT_EQUIVALENT.forEach((name, instead) -> {
            if (out.remove(name) != null) {
                warnings.add(where + ": " + name + " (an nvd-claude-proxy setting) has no ncp equivalent and is"
                        + " ignored: " + instead + ".");
            }
        });
        return out;
    }

    private static void move(Map<String, String> layer, String original, Setting setting,
                             java.util.function.Function<String, Optional<String>> convert) {
        String value = layer.remove(original);
        if (value != null && !layer.containsKey(setting.name())) {
            convert.apply(value.strip()).ifPresent(v -> layer.put(setting.name(), v));
        }
    }

    private static Optional<String> logLevel(String value, String where, List<String> warnings) {
        String level = switch (value.toLowerCase(Locale.ROOT)) {
            case "warning" -> "warn";
            case "critical", "fatal" -> "error";
            default -> value.toLowerCase(Locale.ROOT);
        };
        if (!LOG_LEVELS.contains(level)) {
            warnings.add(where + ": LOG_LEVEL=" + value + " is not a log level (trace, debug, info, warn, error);"
                    + " ignored.");
            return Optional.empty();
        }
        return Optional.of(level);
    }

    /**
     * {@code sqlite+aiosqlite:///./nvd_claude_proxy.db} → {@code <base>/nvd_claude_proxy.db};
     * {@code sqlite:////var/db/x.db} → {@code /var/db/x.db}. Any other database is not ncp's.
     */
    private static Optional<String> sqlitePath(String url, Path base, String where, List<String> warnings) {
        var m = java.util.regex.Pattern.compile("sqlite(\\+[a-z0-9]+)?:///(.+)").matcher(url);
        if (!m.matches() || m.group(2).startsWith(":memory:")) {
            String scheme = url.contains(":") ? url.substring(0, url.indexOf(':')) : url;
            warnings.add(where + ": DATABASE_URL (" + scheme + ":…) is not a SQLite file and is ignored; ncp's"
                    + " storage is STORAGE_ENGINE (sqlite at NCP_SQLITE_PATH, redis, memory).");
            return Optional.empty();
        }
        return Optional.of(base.resolve(m.group(2)).normalize().toString());
    }
}
