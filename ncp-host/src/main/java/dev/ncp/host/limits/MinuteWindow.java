package dev.ncp.host.limits;

import java.time.Duration;
import java.time.Instant;

/**
 * A fixed one-minute window aligned to the clock's minutes. Every instance computes the same window from its own
 * clock, so the counter key ({@code <scope>:<index>}) and the reset time agree across a fleet without storing
 * either; the counter itself lives in the storage engine ({@code incrementInWindow}).
 *
 * @param index   minutes since the epoch
 * @param resetAt when this window ends and the next one starts
 */
record MinuteWindow(long index, Instant resetAt) {

    static final Duration LENGTH = Duration.ofMinutes(1);

    static MinuteWindow at(Instant now) {
        long index = Math.floorDiv(now.getEpochSecond(), LENGTH.toSeconds());
        return new MinuteWindow(index, Instant.ofEpochSecond((index + 1) * LENGTH.toSeconds()));
    }

    /** The storage key of this window's counter for {@code scope}. */
    String key(String scope) {
        return scope + ":" + index;
    }

    /** Whole seconds until the reset, at least 1: what {@code retry-after} says. */
    long secondsUntilReset(Instant now) {
        long millis = Duration.between(now, resetAt).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }
}
