package dev.ncp.host.storage;

import dev.ncp.api.storage.StorageException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when storage fails mid-run: the storage-backed features (idempotency, rate limits, sessions, upstream
 * limits) skip the operation and the request goes on without them. Every skip is counted ({@code /health} shows
 * {@code degraded_operations}); the log gets one warning a minute at most, so an outage does not flood it.
 * Recovery needs nothing from here: the next operation simply succeeds once the engine reconnects.
 */
public final class StorageDegradation {

    private static final Logger log = LoggerFactory.getLogger(StorageDegradation.class);
    private static final long WARN_EVERY_MILLIS = Duration.ofMinutes(1).toMillis();

    private final Clock clock;
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong lastWarningMillis = new AtomicLong(Long.MIN_VALUE / 2);

    public StorageDegradation(Clock clock) {
        this.clock = clock;
    }

    /** Records that {@code feature} skipped an operation because of {@code failure}. */
    public void skipped(String feature, StorageException failure) {
        long total = skipped.incrementAndGet();
        long now = clock.millis();
        long last = lastWarningMillis.get();
        if (now - last >= WARN_EVERY_MILLIS && lastWarningMillis.compareAndSet(last, now)) {
            log.warn("Storage failed; {} skipped and requests continue without it ({} operations skipped so far, "
                    + "next warning in a minute at most): {}", feature, total, failure.getMessage());
        }
    }

    /** Operations skipped since start. */
    public long count() {
        return skipped.get();
    }
}
