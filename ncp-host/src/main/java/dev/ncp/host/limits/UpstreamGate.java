package dev.ncp.host.limits;

import dev.ncp.api.error.ErrorType;
import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageException;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.exchange.Exchange;
import dev.ncp.host.exchange.UpstreamCalls;
import dev.ncp.host.storage.Leases;
import dev.ncp.host.storage.StorageDegradation;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Protects the default upstream ({@code NVIDIA_BASE_URL}), across every instance sharing the storage engine: at most
 * {@code NCP_UPSTREAM_RPM} answers started per minute (NVIDIA's hosted catalog allows about 40 per key) and at most
 * {@code NCP_MAX_CONCURRENT_STREAMS} in flight at once. Each {@code POST /v1/messages} for it that passed the client
 * limits and idempotency takes one of each before it runs; each further call it makes to the default upstream
 * (retries, fallbacks) takes another minute share through the {@link UpstreamCalls} left in the request's exchange.
 * A request for a model on named upstreams ({@link DefaultUpstreamRequests} tells) passes without taking either:
 * those upstreams keep their own {@code rpm} and {@code max_concurrent_streams}. Should it still reach the default
 * upstream (a fallback model served there), its first call there takes the stream slot and minute share then.
 *
 * <p>When a limit is full the request waits — for a free stream slot (polling), or for the next minute — as long
 * as it can get through within {@code NCP_UPSTREAM_MAX_WAIT_SECONDS}; otherwise it is refused at once with 429
 * {@code rate_limit_error} and {@code retry-after}. Waiting first turns a burst (Claude Code's sub-agents) into a
 * short delay instead of failed requests; refusing early when the wait would be too long lets the client's own
 * retry logic take over.
 *
 * <p>Stream slots are keys {@code upstream:stream-slot:<n>} claimed with {@code putIfAbsent} and a short TTL the
 * holder renews, so a crashed instance frees its slots within {@link #SLOT_TTL}.
 */
public final class UpstreamGate implements Handler {

    /** Sleeps; tests pass one that advances a fake clock. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    static final Duration SLOT_TTL = Duration.ofSeconds(30);
    private static final String RPM_SCOPE = "upstream:rpm";
    /** Refusals of this gate in {@code ncp_rate_limit_rejections_total}. */
    static final String UPSTREAM_SCOPE = "upstream";
    private static final String SLOT_PREFIX = "upstream:stream-slot:";
    private static final long FIRST_POLL_MILLIS = 20;
    private static final long MAX_POLL_MILLIS = 500;

    private final Storage storage;
    private final Leases leases;
    private final StorageDegradation degradation;
    private final int rpm;
    private final int maxStreams;
    private final Duration maxWait;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RateLimitRejections rejections;
    private final Handler next;
    private final Predicate<byte[]> forDefaultUpstream;
    // What this instance knows of the limits, for the dashboard's gauge: the latest count of the shared minute
    // window it saw, and the requests waiting here right now.
    private final AtomicLong minuteCount = new AtomicLong();
    private volatile Instant minuteReset = Instant.EPOCH;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();

    public UpstreamGate(Storage storage, Leases leases, StorageDegradation degradation, int rpm, int maxStreams,
                        Duration maxWait, Clock clock, Sleeper sleeper, RateLimitRejections rejections,
                        Handler next) {
        this(storage, leases, degradation, rpm, maxStreams, maxWait, clock, sleeper, rejections, body -> true, next);
    }

    /** @param forDefaultUpstream whether a request body is for the default upstream; others pass untouched */
    public UpstreamGate(Storage storage, Leases leases, StorageDegradation degradation, int rpm, int maxStreams,
                        Duration maxWait, Clock clock, Sleeper sleeper, RateLimitRejections rejections,
                        Predicate<byte[]> forDefaultUpstream, Handler next) {
        this.forDefaultUpstream = forDefaultUpstream;
        this.storage = storage;
        this.leases = leases;
        this.degradation = degradation;
        this.rpm = rpm;
        this.maxStreams = maxStreams;
        this.maxWait = maxWait;
        this.clock = clock;
        this.sleeper = sleeper;
        this.rejections = rejections;
        this.next = next;
    }

    @Override
    public void handle(Context ctx) throws Exception {
        var admission = new Admission();
        try {
            if (forDefaultUpstream.test(ctx.bodyAsBytes())) {
                admission.first(clock.instant().plus(maxWait));
                admission.takenInAdvance = true;
            }
            Exchange.of(ctx).admitted(admission);
            next.handle(ctx);
        } finally {
            admission.release();
        }
    }

    /**
     * One request's calls to the default upstream: the first takes a stream slot and a minute share (before the
     * request runs, for a request for the default upstream; at that call, for one that reaches it only by a
     * fallback), every later one another minute share.
     */
    private final class Admission implements UpstreamCalls {
        private volatile boolean admitted;
        /** The share the gate took before the request ran, for its first call to the default upstream. */
        private volatile boolean takenInAdvance;
        private volatile boolean counted;
        private volatile Optional<Slot> slot = Optional.empty();

        void first(Instant deadline) throws InterruptedException {
            admitted = true;
            if (maxStreams > 0) {
                slot = acquireSlot(deadline);
            }
            if (rpm > 0) {
                awaitMinuteBudget(deadline);
            }
            inFlight.incrementAndGet();
            counted = true;
        }

        @Override
        public void another() {
            if (takenInAdvance) {
                takenInAdvance = false;
                return;
            }
            if (admitted) {
                anotherCall();
                return;
            }
            try {
                first(clock.instant().plus(maxWait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiError(ErrorType.API, "The upstream request was cancelled.");
            }
        }

        /** Frees what it holds, once the request ended (or was refused). */
        void release() {
            slot.ifPresent(Slot::release);
            if (counted) {
                inFlight.decrementAndGet();
            }
        }
    }

    /** Takes one of this minute's upstream requests, waiting for the next minute if it comes before the deadline. */
    void awaitMinuteBudget(Instant deadline) throws InterruptedException {
        while (true) {
            Instant now = clock.instant();
            MinuteWindow window = MinuteWindow.at(now);
            long count;
            try {
                count = storage.incrementInWindow(window.key(RPM_SCOPE), MinuteWindow.LENGTH);
            } catch (StorageException e) {
                degradation.skipped("upstream rate limit", e);
                return;
            }
            minuteCount.set(count);
            minuteReset = window.resetAt();
            if (count <= rpm) {
                return;
            }
            if (window.resetAt().isAfter(deadline)) {
                long retryAfter = window.secondsUntilReset(now);
                rejections.rejected(UPSTREAM_SCOPE);
                throw new ApiError(ErrorType.RATE_LIMIT, 429, "ncp's upstream limit of " + rpm + " requests per"
                        + " minute (NCP_UPSTREAM_RPM) is used up; retry after " + retryAfter + " s.",
                        Map.of("retry-after", Long.toString(retryAfter)));
            }
            waitFor(Duration.between(now, window.resetAt()));
        }
    }

    private void waitFor(Duration wait) throws InterruptedException {
        waiting.incrementAndGet();
        try {
            sleeper.sleep(wait);
        } finally {
            waiting.decrementAndGet();
        }
    }

    /**
     * The limits as this instance sees them: {@code rpm_limit} and {@code rpm_used} (the shared minute's count as last
     * seen here, capped at the limit; 0 once that minute is over), {@code queued} (requests waiting here for a
     * minute or a stream slot), {@code in_flight} (answers running here) and {@code max_streams}; 0 = no limit.
     */
    public Map<String, Object> snapshot() {
        Map<String, Object> gauge = new LinkedHashMap<>();
        boolean current = clock.instant().isBefore(minuteReset);
        gauge.put("rpm_limit", rpm);
        gauge.put("rpm_used", current ? Math.min(minuteCount.get(), rpm) : 0);
        gauge.put("queued", waiting.get());
        gauge.put("in_flight", inFlight.get());
        gauge.put("max_streams", maxStreams);
        return gauge;
    }

    /** A further upstream call of an admitted request (a retry, a fallback): its own share, its own wait. */
    private void anotherCall() {
        if (rpm <= 0) {
            return;
        }
        try {
            awaitMinuteBudget(clock.instant().plus(maxWait));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(ErrorType.API, "The upstream request was cancelled.");
        }
    }

    /** Claims a free stream slot, polling until the deadline. */
    Optional<Slot> acquireSlot(Instant deadline) throws InterruptedException {
        String owner = UUID.randomUUID().toString();
        int start = ThreadLocalRandom.current().nextInt(maxStreams);
        long poll = FIRST_POLL_MILLIS;
        while (true) {
            for (int i = 0; i < maxStreams; i++) {
                String key = SLOT_PREFIX + (start + i) % maxStreams;
                try {
                    if (storage.putIfAbsent(key, owner, SLOT_TTL)) {
                        return Optional.of(new Slot(key, owner, leases.hold(key, owner, SLOT_TTL, "stream cap")));
                    }
                } catch (StorageException e) {
                    degradation.skipped("stream cap", e);
                    return Optional.empty();
                }
            }
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                rejections.rejected(UPSTREAM_SCOPE);
                throw new ApiError(ErrorType.RATE_LIMIT, 429, "All " + maxStreams + " upstream stream slots"
                        + " (NCP_MAX_CONCURRENT_STREAMS) are busy; retry in a moment.", Map.of("retry-after", "1"));
            }
            waitFor(Duration.ofMillis(Math.min(poll, left.toMillis())));
            poll = Math.min(poll * 2, MAX_POLL_MILLIS);
        }
    }

    /** A held stream slot. */
    final class Slot {
        private final String key;
        private final String owner;
        private final Leases.Lease lease;

        Slot(String key, String owner, Leases.Lease lease) {
            this.key = key;
            this.owner = owner;
            this.lease = lease;
        }

        /** Frees the slot if it is still ours (after a long outage another holder may have taken it over). */
        void release() {
            lease.close();
            try {
                if (storage.get(key).filter(owner::equals).isPresent()) {
                    storage.delete(key);
                }
            } catch (StorageException e) {
                degradation.skipped("stream cap", e);
            }
        }
    }
}
