package dev.ncp.host.config;

import java.time.Duration;

/**
 * The settings observability reads, validated when the configuration loads.
 *
 * @param sideChannel    {@code R2_STREAM_VISUALIZATION}: ncp_visualization events inside SSE streams
 * @param logFormat      {@code NCP_LOG_FORMAT}: the access log's line format
 * @param bufferCapacity {@code NCP_VISUALIZATION_BUFFER}: each bus subscriber's buffer, in events
 * @param usageRetention {@code NCP_USAGE_RETENTION_DAYS}: how long usage buckets are kept
 */
public record ObservabilitySettings(boolean sideChannel, LogFormat logFormat, int bufferCapacity,
                                    Duration usageRetention) {

    public static final Duration DEFAULT_USAGE_RETENTION = Duration.ofDays(30);

    /** The visualization settings with usage kept 30 days (tests and embedders). */
    public ObservabilitySettings(boolean sideChannel, LogFormat logFormat, int bufferCapacity) {
        this(sideChannel, logFormat, bufferCapacity, DEFAULT_USAGE_RETENTION);
    }

    static ObservabilitySettings from(SettingValues v) {
        return new ObservabilitySettings(v.bool(Setting.R2_STREAM_VISUALIZATION), logFormat(v),
                v.integer(Setting.NCP_VISUALIZATION_BUFFER, 1, 1_000_000).orElseGet(() ->
                        Integer.parseInt(Setting.NCP_VISUALIZATION_BUFFER.defaultValue())),
                Duration.ofDays(v.integer(Setting.NCP_USAGE_RETENTION_DAYS, 1, 3_660).orElse(30)));
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
