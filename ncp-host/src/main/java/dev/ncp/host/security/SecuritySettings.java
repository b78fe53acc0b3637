package dev.ncp.host.security;

import dev.ncp.host.config.Config;
import dev.ncp.host.config.ConfigException;
import dev.ncp.host.config.Setting;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The hardening settings, taken from the configuration's raw values (validated here, at startup).
 *
 * @param keyPassthrough    {@code NCP_KEY_PASSTHROUGH}: a client's own {@code nvapi-} key is used upstream
 * @param corsOrigins       {@code NCP_CORS_ORIGINS}: browser origins allowed cross-origin; empty = none
 * @param maxJsonDepth      {@code NCP_MAX_JSON_DEPTH}
 * @param maxTools          {@code NCP_MAX_TOOLS}
 * @param maxHeaderBytes    {@code NCP_MAX_HEADER_KB}, in bytes
 * @param clientIdleTimeout {@code NCP_CLIENT_IDLE_TIMEOUT_SECONDS}
 * @param clientBodyTimeout {@code NCP_CLIENT_BODY_TIMEOUT_SECONDS}
 */
public record SecuritySettings(boolean keyPassthrough, List<String> corsOrigins, int maxJsonDepth, int maxTools,
                               int maxHeaderBytes, Duration clientIdleTimeout,
                               Duration clientBodyTimeout) {

    public SecuritySettings {
        corsOrigins = List.copyOf(corsOrigins);
    }

    /** The documented defaults (what tests and embedders get unless they configure more). */
    public static SecuritySettings defaults() {
        return new SecuritySettings(false, List.of(), 100, 1000, 16 * 1024, Duration.ofSeconds(30),
                Duration.ofSeconds(60));
    }

    public static SecuritySettings from(Config config) {
        return new SecuritySettings(
                bool(config, Setting.NCP_KEY_PASSTHROUGH),
                origins(config),
                integer(config, Setting.NCP_MAX_JSON_DEPTH, 8, 10_000),
                integer(config, Setting.NCP_MAX_TOOLS, 1, 100_000),
                integer(config, Setting.NCP_MAX_HEADER_KB, 4, 1024) * 1024,
                Duration.ofSeconds(integer(config, Setting.NCP_CLIENT_IDLE_TIMEOUT_SECONDS, 1, 86_400)),
                Duration.ofSeconds(integer(config, Setting.NCP_CLIENT_BODY_TIMEOUT_SECONDS, 1, 86_400)));
    }

    private static List<String> origins(Config config) {
        String raw = value(config, Setting.NCP_CORS_ORIGINS);
        if (raw == null) {
            return List.of();
        }
        List<String> out = Arrays.stream(raw.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s).toList();
        for (String o : out) {
            if (!o.matches("https?://[^/\\s]+")) {
                throw ConfigException.invalid(Setting.NCP_CORS_ORIGINS, raw,
                        "expected origins like https://tools.example.com, comma-separated");
            }
        }
        return out;
    }

    private static boolean bool(Config config, Setting setting) {
        String raw = value(config, setting);
        return switch (raw == null ? "false" : raw.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw ConfigException.invalid(setting, raw, "expected true or false");
        };
    }

    private static int integer(Config config, Setting setting, int min, int max) {
        String raw = value(config, setting);
        try {
            int n = Integer.parseInt(raw.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ConfigException.invalid(setting, raw, "expected a whole number from " + min + " to " + max);
    }

    private static String value(Config config, Setting setting) {
        String v = config.values().get(setting.name());
        return v == null || v.isBlank() ? setting.defaultValue() : v;
    }
}
