package dev.ncp.host.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The hardening settings, validated when the configuration loads.
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

    static SecuritySettings from(SettingValues v) {
        return new SecuritySettings(
                v.bool(Setting.NCP_KEY_PASSTHROUGH),
                origins(v),
                integer(v, Setting.NCP_MAX_JSON_DEPTH, 8, 10_000),
                integer(v, Setting.NCP_MAX_TOOLS, 1, 100_000),
                integer(v, Setting.NCP_MAX_HEADER_KB, 4, 1024) * 1024,
                Duration.ofSeconds(integer(v, Setting.NCP_CLIENT_IDLE_TIMEOUT_SECONDS, 1, 86_400)),
                Duration.ofSeconds(integer(v, Setting.NCP_CLIENT_BODY_TIMEOUT_SECONDS, 1, 86_400)));
    }

    private static List<String> origins(SettingValues v) {
        String raw = v.text(Setting.NCP_CORS_ORIGINS).orElse(null);
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

    /** A whole number in range; blank means the setting's documented default. */
    private static int integer(SettingValues v, Setting setting, int min, int max) {
        return v.integer(setting, min, max).orElseGet(() -> Integer.parseInt(setting.defaultValue()));
    }
}
