package dev.ncp.bench.load;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The ways the soak's upstream misbehaves, each on its own share of chat requests: the failures a real NIM endpoint
 * shows (an overloaded pool, a rate limit, a dropped connection, a stream that stops, a request nobody answers).
 */
enum UpstreamFault {
    /** The answer as scripted. */
    NONE,
    /** A few content chunks, then the connection is reset (SO_LINGER 0: an RST, not a FIN). */
    RESET_MID_STREAM,
    /** 503 with an OpenAI-style error body. */
    SERVER_ERROR,
    /** 429 with {@code Retry-After: 1}. */
    RATE_LIMITED,
    /** The request is read and never answered; the connection stays open until ncp gives up on it. */
    SILENT,
    /** A few content chunks, then the HTTP body ends cleanly with no finish chunk, no usage and no {@code [DONE]}. */
    TRUNCATED;

    /** Each fault with probability {@code share} (0.01 = 1 %), otherwise {@link #NONE}. */
    static UpstreamFault draw(double share) {
        double r = ThreadLocalRandom.current().nextDouble();
        UpstreamFault[] faults = values();
        for (int i = 1; i < faults.length; i++) {
            if (r < share * i) {
                return faults[i];
            }
        }
        return NONE;
    }
}
