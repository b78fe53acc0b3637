package dev.ncp.host.observe;

import dev.ncp.host.config.Config;
import dev.ncp.host.config.ConfigException;
import dev.ncp.host.config.Setting;

/**
 * The settings observability reads, taken from the configuration's raw values (validated here, at startup).
 *
 * @param sideChannel    {@code R2_STREAM_VISUALIZATION}: ncp_visualization events inside SSE streams
 * @param logFormat      {@code NCP_LOG_FORMAT}: the access log's line format
 * @param bufferCapacity {@code NCP_VISUALIZATION_BUFFER}: each bus subscriber's buffer, in events
 */
public record ObservabilitySettings(boolean sideChannel, AccessLog.Format logFormat, int bufferCapacity) {

    public static ObservabilitySettings from(Config config) {
        return new ObservabilitySettings(config.streamVisualization(), logFormat(config), bufferCapacity(config));
    }

    private static AccessLog.Format logFormat(Config config) {
        String raw = value(config, Setting.NCP_LOG_FORMAT);
        try {
            return AccessLog.Format.parse(raw);
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid(Setting.NCP_LOG_FORMAT, raw, "expected plain or json");
        }
    }

    private static int bufferCapacity(Config config) {
        String raw = value(config, Setting.NCP_VISUALIZATION_BUFFER);
        try {
            int n = Integer.parseInt(raw.strip());
            if (n >= 1 && n <= 1_000_000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ConfigException.invalid(Setting.NCP_VISUALIZATION_BUFFER, raw, "expected a whole number from 1 to 1000000");
    }

    private static String value(Config config, Setting setting) {
        String v = config.values().get(setting.name());
        return v == null || v.isBlank() ? setting.defaultValue() : v;
    }
}
