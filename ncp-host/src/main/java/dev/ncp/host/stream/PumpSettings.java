package dev.ncp.host.stream;

import java.time.Duration;
import java.util.Objects;

/**
 * Time and size limits of one answer.
 *
 * @param pingInterval  a ping goes out when nothing else did for this long ({@code R2_PING_INTERVAL}, default
 *                      15 s); {@link Duration#ZERO} sends none
 * @param idleTimeout   the answer is abandoned when the upstream sends no byte for this long once it has
 *                      answered; zero means no limit
 * @param totalTimeout  the answer is abandoned when it takes longer than this in all; zero means no limit
 * @param maxEventBytes the largest upstream SSE event accepted (one chunk can hold a whole tool call's JSON)
 */
public record PumpSettings(Duration pingInterval, Duration idleTimeout, Duration totalTimeout, int maxEventBytes) {

    public PumpSettings {
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(totalTimeout, "totalTimeout");
        if (maxEventBytes <= 0) {
            throw new IllegalArgumentException("maxEventBytes must be positive");
        }
    }

    /** 15 s pings, 5 min upstream silence, 30 min in all, 8 MiB events. */
    public static PumpSettings defaults() {
        return new PumpSettings(Duration.ofSeconds(15), Duration.ofMinutes(5), Duration.ofMinutes(30), 8 << 20);
    }
}
