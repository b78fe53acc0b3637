package dev.ncp.api.storage;

import java.time.Duration;
import java.util.Optional;

/**
 * An open store: string keys to string values with a time to live. All methods are thread-safe and may be called
 * from many virtual threads at once; implementations block rather than return futures.
 *
 * <p>Expired entries must behave exactly as absent ones, whether or not they have been swept yet.
 *
 * <p>Every {@code ttl} and {@code window} must be positive; engines reject zero or negative durations with an
 * {@link IllegalArgumentException}. A key is used either for values ({@link #put}, {@link #putIfAbsent}) or as a
 * counter ({@link #incrementInWindow}), never both: engines may keep the two in one key space or in two.
 *
 * <p>A backend failure while the store is open (a lost connection, a full disk) surfaces as a
 * {@link StorageException}; callers decide whether to fail the request or degrade.
 *
 * <p>The contract suite {@code dev.ncp.api.storage.StorageContract} in this module's test-jar checks every engine
 * against this interface.
 */
public interface Storage extends AutoCloseable {

    /** The value stored under {@code key}, or empty when absent or expired. */
    Optional<String> get(String key);

    /** Stores {@code value} under {@code key} for {@code ttl}, replacing any previous value. */
    void put(String key, String value, Duration ttl);

    /**
     * Stores {@code value} only if {@code key} is absent (or expired). Atomic: of many concurrent callers on the same
     * key — across processes for shared engines — exactly one gets {@code true}.
     */
    boolean putIfAbsent(String key, String value, Duration ttl);

    /** Removes {@code key}; returns whether a live value was removed ({@code false} for absent or expired keys). */
    boolean delete(String key);

    /**
     * Atomically increments the counter {@code key} in a fixed window of length {@code window} that starts with the
     * first increment, and returns the count after this increment (1 for the first call of a window). Later
     * increments do not extend the window: once it has passed, the next increment starts a new one at 1.
     */
    long incrementInWindow(String key, Duration window);

    /** A cheap liveness check, used by {@code /health}. Never throws. */
    StorageHealth health();

    /** Releases files, connections and threads. Idempotent. */
    @Override
    void close();
}
