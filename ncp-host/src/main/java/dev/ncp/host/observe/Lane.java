package dev.ncp.host.observe;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The dashboard lane a {@link VisualEvent} belongs to. */
public enum Lane {
    /** received, routed, first token, finish: where a request is in its life. */
    LIFECYCLE,
    /** text and thinking blocks. */
    CONTENT,
    /** tool calls. */
    TOOLS,
    /** upstream timing, usage, retries, fallbacks, breakers, errors. */
    DIAGNOSTICS;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
