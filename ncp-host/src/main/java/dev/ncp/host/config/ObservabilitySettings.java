package dev.ncp.host.config;

/**
 * The settings observability reads, validated when the configuration loads.
 *
 * @param sideChannel    {@code R2_STREAM_VISUALIZATION}: ncp_visualization events inside SSE streams
 * @param logFormat      {@code NCP_LOG_FORMAT}: the access log's line format
 * @param bufferCapacity {@code NCP_VISUALIZATION_BUFFER}: each bus subscriber's buffer, in events
 */
public record ObservabilitySettings(boolean sideChannel, LogFormat logFormat, int bufferCapacity) {

    static ObservabilitySettings from(SettingValues v) {
        return new ObservabilitySettings(v.bool(Setting.R2_STREAM_VISUALIZATION), logFormat(v),
                v.integer(Setting.NCP_VISUALIZATION_BUFFER, 1, 1_000_000).orElseGet(() ->
                        Integer.parseInt(Setting.NCP_VISUALIZATION_BUFFER.defaultValue())));
    }

    private static LogFormat logFormat(SettingValues v) {
        String raw = v.text(Setting.NCP_LOG_FORMAT).orElse(Setting.NCP_LOG_FORMAT.defaultValue());
        try {
            return LogFormat.parse(raw);
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid(Setting.NCP_LOG_FORMAT, raw, "expected plain or json");
        }
    }
}
