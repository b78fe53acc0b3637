package dev.ncp.host.pump;

import java.time.Duration;
import java.util.Objects;

/**
 * Time and size limits of one answer.
 *
 * @param pingInterval      a ping goes out when nothing else did for this long ({@code R2_PING_INTERVAL}, default
 *                          15 s); {@link Duration#ZERO} sends none
 * @param idleTimeout       the answer is abandoned when the upstream sends no byte for this long once its body has
 *                          begun ({@code NCP_IDLE_TIMEOUT_SECONDS}); zero means no limit
 * @param totalTimeout      the answer is abandoned when it takes longer than this in all, retries and fallbacks
 *                          included ({@code REQUEST_TIMEOUT_SECONDS}); zero means no limit
 * @param maxEventBytes     the largest upstream SSE event accepted (one chunk can hold a whole tool call's JSON)
 * @param firstByteTimeout  the attempt is abandoned when the upstream answered with headers but its body's first
 *                          byte takes longer than this ({@code NCP_FIRST_BYTE_TIMEOUT_SECONDS}); zero: the idle timeout
 * @param keepAliveInterval while the client hears nothing, a streaming sink writes an invisible SSE comment this
 *                          often, so a client that hung up is noticed at once; zero sends none
 */
public record PumpSettings(Duration pingInterval, Duration idleTimeout, Duration totalTimeout, int maxEventBytes,
                           Duration firstByteTimeout, Duration keepAliveInterval) {

    /**
     * A quarter of a second: the first write to a connection the client closed may still succeed (it only provokes
     * the reset), the second fails — so a hung-up client is noticed within two intervals, well under a second.
     */
    public static final Duration KEEP_ALIVE = Duration.ofMillis(250);

    public PumpSettings {
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(totalTimeout, "totalTimeout");
        Objects.requireNonNull(firstByteTimeout, "firstByteTimeout");
        Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
        if (maxEventBytes <= 0) {
            throw new IllegalArgumentException("maxEventBytes must be positive");
        }
    }

    /** The first byte of the body may take as long as any other silence; keep-alives every quarter second. */
    public PumpSettings(Duration pingInterval, Duration idleTimeout, Duration totalTimeout, int maxEventBytes) {
        this(pingInterval, idleTimeout, totalTimeout, maxEventBytes, idleTimeout, KEEP_ALIVE);
    }

    /** 15 s pings, 5 min upstream silence, 30 min in all, 8 MiB events. */
    public static PumpSettings defaults() {
        return new PumpSettings(Duration.ofSeconds(15), Duration.ofMinutes(5), Duration.ofMinutes(30), 8 << 20);
    }
}
