package dev.ncp.api.storage;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for time-based storage tests: wait for a condition, never for an exact length of time. */
public final class Timing {

    /** Far above any TTL the tests use, so a slow shared build machine does not make them flaky. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(10);
    /** Engines measure time with their own clock (wall clock, Redis server clock); allow for rounding. */
    public static final Duration CLOCK_TOLERANCE = Duration.ofMillis(20);

    private static final Duration POLL_INTERVAL = Duration.ofMillis(10);

    private Timing() {
    }

    /** Polls {@code condition} until it holds; fails the test if it does not within {@link #MAX_WAIT}. */
    public static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + MAX_WAIT.toSeconds() + " s waiting for " + what);
            }
            pause(POLL_INTERVAL);
        }
    }

    public static Duration elapsedSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    public static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
