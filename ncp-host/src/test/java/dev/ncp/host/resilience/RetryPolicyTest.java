package dev.ncp.host.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ncp.api.error.ErrorType;
import dev.ncp.host.error.ApiError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-01-01T12:00:00Z"), ZoneOffset.UTC);
    private static final ApiError FAILED = new ApiError(ErrorType.API, 502, "bad gateway", Map.of());

    private static RetryPolicy policy(double random) {
        return new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(10), () -> random, NOW);
    }

    private static ApiError rateLimited(String retryAfter) {
        return new ApiError(ErrorType.RATE_LIMIT, 429, "slow down", Map.of("retry-after", retryAfter));
    }

    @Test
    void backoffDoublesPerRetryWithHalfOfItRandom() {
        assertEquals(Optional.of(Duration.ofMillis(500)), policy(0).delay(1, FAILED));
        assertEquals(Optional.of(Duration.ofMillis(999)), policy(0.999_999).delay(1, FAILED));
        assertEquals(Optional.of(Duration.ofMillis(1000)), policy(0).delay(2, FAILED));
        assertEquals(Optional.of(Duration.ofMillis(3000)), policy(0.5).delay(3, FAILED));
    }

    @Test
    void backoffIsCappedByTheMaximumWait() {
        var policy = new RetryPolicy(10, Duration.ofSeconds(1), Duration.ofSeconds(10), () -> 0.5, NOW);
        assertEquals(Optional.of(Duration.ofMillis(7500)), policy.delay(9, FAILED)); // 5 s fixed + half of 5 s
    }

    @Test
    void thereIsNoRetryBeyondTheMaximum() {
        assertEquals(Optional.empty(), policy(0).delay(4, FAILED));
        assertEquals(Optional.empty(), new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(10), () -> 0,
                NOW).delay(1, FAILED));
    }

    @Test
    void retryAfterInSecondsOrAsAnHttpDateReplacesTheBackoff() {
        assertEquals(Optional.of(Duration.ofSeconds(7)), policy(0.7).delay(1, rateLimited("7")));
        assertEquals(Optional.of(Duration.ofMillis(1500)), policy(0.7).delay(1, rateLimited("1.5")));
        assertEquals(Optional.of(Duration.ofSeconds(4)),
                policy(0.7).delay(1, rateLimited("Thu, 01 Jan 2026 12:00:04 GMT")));
        assertEquals(Optional.of(Duration.ZERO), policy(0.7).delay(1, rateLimited("Thu, 01 Jan 2026 11:00:00 GMT")));
    }

    @Test
    void aRetryAfterLongerThanTheMaximumWaitIsNotWaitedFor() {
        assertEquals(Optional.empty(), policy(0).delay(1, rateLimited("11")));
    }

    @Test
    void anUnreadableRetryAfterFallsBackToTheBackoff() {
        assertEquals(Optional.of(Duration.ofMillis(500)), policy(0).delay(1, rateLimited("soon")));
    }
}
