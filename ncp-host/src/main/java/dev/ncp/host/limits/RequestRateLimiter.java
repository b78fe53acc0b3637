package dev.ncp.host.limits;

import dev.ncp.api.auth.Principal;
import dev.ncp.api.error.ErrorType;
import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageException;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.exchange.Exchange;
import dev.ncp.host.storage.StorageDegradation;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Client request limits on {@code POST /v1/messages}, after auth and before idempotency: {@code RATE_LIMIT_RPM} for
 * all clients together, and each principal's own {@code requestsPerMinute} (from its auth provider). Fixed
 * one-minute windows counted in the storage engine, so the limits hold across every instance sharing it. A request
 * over a limit gets Anthropic's 429 {@code rate_limit_error} with {@code retry-after}; every answer under a limit
 * carries {@code anthropic-ratelimit-requests-limit}, {@code -remaining} and {@code -reset} (RFC 3339) for the
 * tightest one. Every request counts, including refused ones, as at Anthropic.
 */
public final class RequestRateLimiter {

    private static final String GLOBAL = "ratelimit:global";
    private static final String PRINCIPAL = "ratelimit:principal:";

    private final Storage storage;
    private final StorageDegradation degradation;
    private final int globalRpm;
    private final Clock clock;
    private final RateLimitRejections rejections;

    public RequestRateLimiter(Storage storage, StorageDegradation degradation, int globalRpm, Clock clock,
                              RateLimitRejections rejections) {
        this.storage = storage;
        this.degradation = degradation;
        this.globalRpm = globalRpm;
        this.clock = clock;
        this.rejections = rejections;
    }

    /** Counted use of one limit in the current window; {@code scope} names it in the metrics. */
    private record Use(String scope, String what, int limit, long count) {
        long remaining() {
            return Math.max(0, limit - count);
        }
    }

    /** Before-handler for {@code /v1/messages}. */
    public void check(Context ctx) {
        if (!"POST".equals(ctx.method().name())) {
            return;
        }
        Principal principal = Exchange.of(ctx).principal();
        Instant now = clock.instant();
        MinuteWindow window = MinuteWindow.at(now);
        List<Use> uses = new ArrayList<>(2);
        if (globalRpm > 0) {
            count("global", window.key(GLOBAL), "RATE_LIMIT_RPM=" + globalRpm + " (all clients together)", globalRpm,
                    uses);
        }
        Integer own = principal.requestsPerMinute();
        if (own != null && own > 0) {
            count("principal", window.key(PRINCIPAL + principal.id()),
                    own + " requests per minute for " + principal.id(), own, uses);
        }
        if (uses.isEmpty()) {
            return;
        }
        Use tightest = uses.stream().min(Comparator.comparingLong(Use::remaining)).orElseThrow();
        Map<String, String> headers = headers(tightest, window);
        headers.forEach(ctx::header);
        for (Use use : uses) {
            if (use.count() > use.limit()) {
                long retryAfter = window.secondsUntilReset(now);
                Map<String, String> refused = new LinkedHashMap<>(headers(use, window));
                refused.put("retry-after", Long.toString(retryAfter));
                rejections.rejected(use.scope());
                throw new ApiError(ErrorType.RATE_LIMIT, 429, "Rate limit exceeded: " + use.what()
                        + ". Retry after " + retryAfter + " s.", refused);
            }
        }
    }

    private void count(String scope, String key, String what, int limit, List<Use> uses) {
        try {
            uses.add(new Use(scope, what, limit, storage.incrementInWindow(key, MinuteWindow.LENGTH)));
        } catch (StorageException e) {
            degradation.skipped("rate limit", e);
        }
    }

    private static Map<String, String> headers(Use use, MinuteWindow window) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("anthropic-ratelimit-requests-limit", Integer.toString(use.limit()));
        headers.put("anthropic-ratelimit-requests-remaining", Long.toString(use.remaining()));
        headers.put("anthropic-ratelimit-requests-reset",
                DateTimeFormatter.ISO_INSTANT.format(window.resetAt().truncatedTo(ChronoUnit.SECONDS)));
        return headers;
    }
}
