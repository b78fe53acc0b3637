package dev.ncp.host.resilience;

import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageException;
import dev.ncp.host.config.BreakerSettings;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the breakers' state lives, through {@link Storage}'s primitives only, per breaker name:
 * <ul>
 *   <li>{@code breaker:<name>:state} — {@code "<level> <open-until-millis>"}, present while open or half-open;</li>
 *   <li>{@code breaker:<name>:calls:<slot>} and {@code :failures:<slot>} — the window's counters, both keyed by the
 *       window's slot number so they always count over the same calls;</li>
 *   <li>{@code breaker:<name>:in_a_row} — counted failures since the last success (deleted by a success);</li>
 *   <li>{@code breaker:<name>:probe} — the half-open probe's lease, taken with put-if-absent.</li>
 * </ul>
 * On Redis every instance shares them; otherwise the store is in-process. A store that fails reads as closed and
 * counts nothing: calls go through meanwhile, logged once.
 */
final class BreakerLedger {

    private static final Logger log = LoggerFactory.getLogger(BreakerLedger.class);

    /** A breaker's state as read from the store. */
    record Reading(BreakerState state, int level, long openUntilMillis) {
        static final Reading CLOSED = new Reading(BreakerState.CLOSED, 0, 0);
    }

    private final BreakerSettings settings;
    private final Storage store;
    private final LongSupplier millis;
    private final AtomicBoolean failing = new AtomicBoolean();

    BreakerLedger(BreakerSettings settings, Storage store, LongSupplier millis) {
        this.settings = settings;
        this.store = store;
        this.millis = millis;
    }

    long now() {
        return millis.getAsLong();
    }

    Reading read(String name) {
        Optional<String> value = guarded(() -> store.get(key(name, "state")), Optional.empty());
        return value.map(v -> {
            String[] parts = v.split(" ");
            long until = Long.parseLong(parts[1]);
            return new Reading(now() < until ? BreakerState.OPEN : BreakerState.HALF_OPEN,
                    Integer.parseInt(parts[0]), until);
        }).orElse(Reading.CLOSED);
    }

    /**
     * Opens {@code name} at {@code level} for openFor · 2^level, capped; with {@code onlyIfClosed} only when no state
     * is there yet (of many callers tripping it at once, one wins). Returns the open time, or empty if not opened.
     */
    Optional<Duration> open(String name, int level, boolean onlyIfClosed) {
        long openMillis = Math.min(settings.maxOpen().toMillis(), settings.openFor().toMillis() << Math.min(level, 20));
        String value = level + " " + (now() + openMillis);
        // The state outlives the open period by the longest one, so a breaker that fails its probe is remembered at
        // its level, and one whose probe never came back is probed again.
        Duration ttl = Duration.ofMillis(openMillis).plus(settings.maxOpen());
        boolean opened = guarded(() -> {
            if (onlyIfClosed) {
                return store.putIfAbsent(key(name, "state"), value, ttl);
            }
            store.put(key(name, "state"), value, ttl);
            return true;
        }, false);
        return opened ? Optional.of(Duration.ofMillis(openMillis)) : Optional.empty();
    }

    void close(String name) {
        guarded(() -> {
            store.delete(key(name, "state"));
            store.delete(key(name, "probe"));
            store.delete(key(name, "in_a_row"));
            return true;
        }, false);
    }

    /** Counts a call's outcome in the window; true when a failure takes the rate, or the row, past the threshold. */
    boolean countTrips(String name, boolean failed) {
        long slot = now() / settings.window().toMillis();
        return guarded(() -> {
            long calls = store.incrementInWindow(key(name, "calls:" + slot), settings.window());
            if (!failed) {
                store.delete(key(name, "in_a_row"));
                return false;
            }
            long failures = store.incrementInWindow(key(name, "failures:" + slot), settings.window());
            long inARow = store.incrementInWindow(key(name, "in_a_row"), settings.maxOpen());
            boolean rate = calls >= settings.minimumCalls()
                    && failures * 100 >= (long) settings.failureRatePercent() * calls;
            return rate || inARow >= settings.consecutiveFailures();
        }, false);
    }

    /** Takes the half-open probe's lease; false when another call (of any instance) holds it. */
    boolean claimProbe(String name) {
        return guarded(() -> store.putIfAbsent(key(name, "probe"), "1", settings.openFor()), true);
    }

    void releaseProbe(String name) {
        guarded(() -> store.delete(key(name, "probe")), false);
    }

    private static String key(String name, String part) {
        return "breaker:" + name + ":" + part;
    }

    private <T> T guarded(Supplier<T> op, T otherwise) {
        try {
            T result = op.get();
            if (failing.compareAndSet(true, false)) {
                log.info("circuit breaker state is readable again");
            }
            return result;
        } catch (StorageException e) {
            if (failing.compareAndSet(false, true)) {
                log.warn("circuit breaker state cannot be read or written ({}); calls go through meanwhile",
                        e.getMessage());
            }
            return otherwise;
        }
    }
}
