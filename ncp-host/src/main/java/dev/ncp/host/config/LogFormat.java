package dev.ncp.host.config;

import java.util.Locale;

/** {@code NCP_LOG_FORMAT}: how an access log line is written. */
public enum LogFormat {
    PLAIN, JSON;

    public static LogFormat parse(String value) {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
    }
}
