package dev.ncp.host.storage;

import dev.ncp.api.storage.Storage;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A short mutual exclusion across every instance sharing the storage, for read-modify-write updates: the lock is
 * a key claimed with put-if-absent and a TTL, so a holder that dies frees it within {@link #ttl}. Waiting is bounded:
 * after {@code maxWait} the work runs without the lock (an update may then be lost, as it could be without any lock),
 * rather than stall a request behind a stuck holder. Storage failures reach the caller.
 */
public final class StorageMutex {

    private static final long FIRST_POLL_MILLIS = 1;
    private static final long MAX_POLL_MILLIS = 20;

    private final Storage storage;
    private final Duration ttl;
    private final Duration maxWait;

    /**
     * @param ttl     longest a lock outlives a holder that died; far longer than the work it guards
     * @param maxWait longest a caller waits for the lock before it works without it
     */
    public StorageMutex(Storage storage, Duration ttl, Duration maxWait) {
        this.storage = storage;
        this.ttl = ttl;
        this.maxWait = maxWait;
    }

    /** Runs {@code work} holding the lock named {@code name}. */
    public <T> T run(String name, Supplier<T> work) {
        String key = "lock:" + name;
        String owner = UUID.randomUUID().toString();
        boolean held = acquire(key, owner);
        try {
            return work.get();
        } finally {
            // Only our own lock: after a pause longer than the TTL another holder may have it now.
            if (held && storage.get(key).filter(owner::equals).isPresent()) {
                storage.delete(key);
            }
        }
    }

    private boolean acquire(String key, String owner) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        long poll = FIRST_POLL_MILLIS;
        while (!storage.putIfAbsent(key, owner, ttl)) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(poll);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            poll = Math.min(poll * 2, MAX_POLL_MILLIS);
        }
        return true;
    }
}
