package dev.ncp.host.idempotency;

import dev.ncp.api.error.ErrorType;
import dev.ncp.api.storage.StorageException;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.exchange.Exchange;
import dev.ncp.host.storage.Leases;
import dev.ncp.host.storage.StorageDegradation;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code anthropic-idempotency-key} (or {@code Idempotency-Key}) on {@code POST /v1/messages}. Runs after auth and
 * the rate limit, before the request is parsed:
 * <ul>
 *   <li>first request with a key: claims it, runs, and stores the whole answer for the TTL — only a complete
 *       success (status 200; for a stream, ended by {@code message_stop} with no error event);</li>
 *   <li>same key, same body, answer stored: replays it byte for byte with a fresh request id and
 *       {@code x-ncp-idempotent-replay: true};</li>
 *   <li>same key, different body: 400 {@code invalid_request_error}, as Stripe and the original proxy answer;</li>
 *   <li>same key while the first still runs: waits for it (polling with backoff, at most the request timeout, the
 *       upstream wait and the claim TTL together, then 409) and replays. If the first fails, its claim is
 *       deleted and the waiter runs the request itself: the failure is not an answer to replay, and the client
 *       asked for one.</li>
 * </ul>
 * When storage fails, the request runs without idempotency (counted in {@code /health}).
 */
public final class IdempotentMessages implements Handler {

    public static final String REPLAY_HEADER = "x-ncp-idempotent-replay";
    /** Largest answer recorded for replay; a longer one is delivered but not stored. */
    public static final int MAX_RECORDED_BYTES = 8 * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(IdempotentMessages.class);
    private static final long FIRST_POLL_MILLIS = 10;
    private static final long MAX_POLL_MILLIS = 250;

    private final IdempotencyStore store;
    private final Leases leases;
    private final StorageDegradation degradation;
    private final Duration ttl;
    private final Duration maxWait;
    private final Clock clock;
    private final Handler next;

    /**
     * @param ttl     how long a finished answer stays replayable
     * @param maxWait how long a duplicate waits for the first request to finish
     */
    public IdempotentMessages(IdempotencyStore store, Leases leases, StorageDegradation degradation, Duration ttl,
                              Duration maxWait, Clock clock, Handler next) {
        this.store = store;
        this.leases = leases;
        this.degradation = degradation;
        this.ttl = ttl;
        this.maxWait = maxWait;
        this.clock = clock;
        this.next = next;
    }

    @Override
    public void handle(Context ctx) throws Exception {
        Optional<String> header = Optional.ofNullable(ctx.header(IdempotencyKey.HEADER))
                .or(() -> Optional.ofNullable(ctx.header(IdempotencyKey.ALTERNATE_HEADER)));
        Optional<IdempotencyKey> key = IdempotencyKey.of(header, Exchange.of(ctx).principal().id(), ctx.bodyAsBytes());
        if (key.isEmpty()) {
            next.handle(ctx);
            return;
        }
        long deadline = clock.millis() + maxWait.toMillis();
        long poll = FIRST_POLL_MILLIS;
        while (true) {
            IdempotencyStore.Lookup lookup;
            try {
                lookup = store.claimOrRead(key.get().storageKey(), key.get().requestHash());
            } catch (StorageException e) {
                degradation.skipped("idempotency", e);
                next.handle(ctx);
                return;
            }
            switch (lookup) {
                case IdempotencyStore.Lookup.Claimed claimed -> {
                    runAndRecord(ctx, key.get(), claimed.value());
                    return;
                }
                case IdempotencyStore.Lookup.Found found when !key.get().requestHash()
                        .equals(found.entry().requestHash()) -> throw mismatch();
                case IdempotencyStore.Lookup.Found found when found.entry().isDone() -> {
                    replay(ctx, found.entry().answer());
                    return;
                }
                case IdempotencyStore.Lookup.Found inFlight -> {
                    if (clock.millis() >= deadline) {
                        throw stillRunning();
                    }
                    Thread.sleep(poll);
                    poll = Math.min(poll * 2, MAX_POLL_MILLIS);
                }
                case IdempotencyStore.Lookup.Vanished vanished -> {
                    // freed between our claim attempt and our read: claim again
                }
            }
        }
    }

    private void runAndRecord(Context ctx, IdempotencyKey key, String claim) throws Exception {
        var recorder = new AnswerRecorder(MAX_RECORDED_BYTES);
        Exchange.of(ctx).taps().copyBytesTo(recorder);
        Leases.Lease lease = leases.hold(key.storageKey(), claim, IdempotencyStore.IN_FLIGHT_TTL, "idempotency");
        boolean stored = false;
        try {
            next.handle(ctx);
            Optional<RecordedAnswer> answer = recorder.completedAnswer(ctx);
            if (recorder.overflowed()) {
                log.warn("An answer longer than {} MB was delivered but not stored for idempotent replay; a repeat"
                        + " of its idempotency key will run again.", MAX_RECORDED_BYTES / (1024 * 1024));
            }
            lease.close();
            stored = answer.isPresent() && store(key, answer.get());
        } finally {
            lease.close();
            if (!stored) {
                release(key);
            }
        }
    }

    private boolean store(IdempotencyKey key, RecordedAnswer answer) {
        try {
            store.complete(key.storageKey(), key.requestHash(), answer, ttl);
            return true;
        } catch (StorageException e) {
            degradation.skipped("idempotency", e);
            return false;
        }
    }

    private void release(IdempotencyKey key) {
        try {
            store.release(key.storageKey());
        } catch (StorageException e) {
            degradation.skipped("idempotency", e);
        }
    }

    private static void replay(Context ctx, RecordedAnswer answer) {
        ctx.status(answer.status());
        answer.headers().forEach((name, value) -> {
            if (name.equalsIgnoreCase("Content-Type")) {
                ctx.contentType(value);
            } else {
                ctx.header(name, value);
            }
        });
        ctx.header(REPLAY_HEADER, "true");
        ctx.result(answer.body());
    }

    private static ApiError mismatch() {
        return ApiError.invalidRequest("Idempotency key mismatch: this " + IdempotencyKey.HEADER + " was first used"
                + " with a different request body. Send a new key for a different request.");
    }

    private ApiError stillRunning() {
        return new ApiError(ErrorType.INVALID_REQUEST, 409, "A request with this " + IdempotencyKey.HEADER
                + " is still in progress after waiting " + waited() + "; retry later.", Map.of());
    }

    private String waited() {
        long millis = maxWait.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
