package dev.ncp.host.resilience;

import dev.ncp.host.error.ApiError;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before trying the same model again: the upstream's {@code Retry-After} when it gives one (seconds
 * or an HTTP date), else exponential backoff — {@code base · 2^(retry−1)}, capped — with "equal jitter" (half fixed,
 * half random) so that clients failing together do not come back together. A wait longer than the cap is not
 * waited: the answer moves on to the next model, or the client gets the error with its {@code retry-after}.
 */
final class RetryPolicy {

    private final int maxRetries;
    private final Duration base;
    private final Duration maxWait;
    private final DoubleSupplier random;
    private final Clock clock;

    /**
     * @param maxRetries retries per model ({@code NCP_MAX_RETRIES})
     * @param base       the first backoff ({@code NCP_RETRY_BACKOFF_MS})
     * @param maxWait    the longest wait, backoff or Retry-After ({@code NCP_RETRY_MAX_WAIT_SECONDS})
     * @param random     uniform in [0, 1)
     */
    RetryPolicy(int maxRetries, Duration base, Duration maxWait, DoubleSupplier random, Clock clock) {
        this.maxRetries = maxRetries;
        this.base = base;
        this.maxWait = maxWait;
        this.random = random;
        this.clock = clock;
    }

    /** The wait before retry number {@code retry} (from 1) after {@code error}; empty: do not retry. */
    Optional<Duration> delay(int retry, ApiError error) {
        if (retry > maxRetries) {
            return Optional.empty();
        }
        Optional<Duration> retryAfter = retryAfter(error);
        if (retryAfter.isPresent()) {
            return retryAfter.get().compareTo(maxWait) > 0 ? Optional.empty() : retryAfter;
        }
        long capped = Math.min(maxWait.toMillis(), base.toMillis() << Math.min(retry - 1, 20));
        long half = capped / 2;
        return Optional.of(Duration.ofMillis(half + (long) (random.getAsDouble() * (capped - half))));
    }

    /** The error's {@code retry-after}: delta-seconds or an HTTP date; empty when absent or unreadable. */
    Optional<Duration> retryAfter(ApiError error) {
        String value = error.headers().get("retry-after");
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofMillis(Math.round(Math.max(0, Double.parseDouble(value.strip())) * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(clock.instant(), at.toInstant());
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException unreadable) {
                return Optional.empty();
            }
        }
    }
}
