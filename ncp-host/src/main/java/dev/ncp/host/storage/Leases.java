package dev.ncp.host.storage;

import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps short-lived claims alive while their work runs. A claim (an idempotency key in flight, an upstream stream
 * slot) is stored with a short TTL so that a crashed instance frees it quickly; its holder renews it every third of
 * the TTL until it closes the lease. A request that ends before the first renewal costs one scheduled task, no
 * thread: renewals run on one scheduler thread that hands each storage write to a virtual thread.
 */
public final class Leases implements AutoCloseable {

    private final Storage storage;
    private final StorageDegradation degradation;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ncp-lease-renewal");
        t.setDaemon(true);
        return t;
    });

    public Leases(Storage storage, StorageDegradation degradation) {
        this.storage = storage;
        this.degradation = degradation;
    }

    /**
     * Renews {@code key} (already stored by the caller) with {@code value} for {@code ttl} until the returned lease
     * is closed. {@code feature} names the owner in degradation warnings.
     */
    public Lease hold(String key, String value, Duration ttl, String feature) {
        var lease = new Lease(key, value, ttl, feature);
        long period = Math.max(1, ttl.toMillis() / 3);
        lease.renewals = scheduler.scheduleAtFixedRate(() -> Thread.ofVirtual().start(lease::renew),
                period, period, TimeUnit.MILLISECONDS);
        return lease;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    /** One held claim. After {@link #close()} returns, no renewal is running and none will start. */
    public final class Lease implements AutoCloseable {
        private final String key;
        private final String value;
        private final Duration ttl;
        private final String feature;
        private final ReentrantLock lock = new ReentrantLock();
        private volatile ScheduledFuture<?> renewals;
        private boolean closed;

        private Lease(String key, String value, Duration ttl, String feature) {
            this.key = key;
            this.value = value;
            this.ttl = ttl;
            this.feature = feature;
        }

        private void renew() {
            lock.lock();
            try {
                if (!closed) {
                    storage.put(key, value, ttl);
                }
            } catch (StorageException e) {
                degradation.skipped(feature + " renewal", e);
            } finally {
                lock.unlock();
            }
        }

        /** Stops renewing; waits for a renewal in progress, so the caller may overwrite or delete the key next. */
        @Override
        public void close() {
            renewals.cancel(false);
            lock.lock();
            try {
                closed = true;
            } finally {
                lock.unlock();
            }
        }
    }
}
