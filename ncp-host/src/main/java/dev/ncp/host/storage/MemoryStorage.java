package dev.ncp.host.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageHealth;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link Storage} on one Caffeine cache with a per-entry expiry. Every entry carries its own deadline, and every
 * read checks it: Caffeine evicts expired entries lazily, so the deadline in the entry — not eviction — is what
 * makes an expired entry behave as absent. Compound operations run inside {@code asMap().compute}, which Caffeine
 * executes atomically per key.
 */
final class MemoryStorage implements Storage {

    /** Caffeine caps expiry at about 150 years; clamping far below that also keeps deadline arithmetic in range. */
    private static final Duration MAX_TTL = Duration.ofDays(365L * 100);

    /**
     * A value or a counter (its count as decimal text, as Redis shows it) with its deadline on {@link #ticker}.
     * A window's deadline is set by its first increment and copied by later ones, which keeps windows fixed.
     */
    private record Entry(String value, long expiresAtNanos) {
        boolean isLiveAt(long nowNanos) {
            return expiresAtNanos - nowNanos > 0;
        }
    }

    private final Ticker ticker;
    private final Cache<String, Entry> cache;
    private final ConcurrentMap<String, Entry> entries;

    MemoryStorage(Ticker ticker) {
        this.ticker = ticker;
        this.cache = Caffeine.newBuilder().ticker(ticker).expireAfter(new UntilDeadline()).build();
        this.entries = cache.asMap();
    }

    @Override
    public Optional<String> get(String key) {
        Entry entry = cache.getIfPresent(Objects.requireNonNull(key, "key"));
        return entry != null && entry.isLiveAt(ticker.read()) ? Optional.of(entry.value()) : Optional.empty();
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        Objects.requireNonNull(value, "value");
        cache.put(Objects.requireNonNull(key, "key"), new Entry(value, deadline(ttl)));
    }

    @Override
    public boolean putIfAbsent(String key, String value, Duration ttl) {
        Objects.requireNonNull(value, "value");
        Entry claim = new Entry(value, deadline(ttl));
        long now = ticker.read();
        // Identity tells the caller whether its own entry went in: compute returns the entry now in the map.
        Entry stored = entries.compute(Objects.requireNonNull(key, "key"),
                (k, old) -> old != null && old.isLiveAt(now) ? old : claim);
        return stored == claim;
    }

    @Override
    public boolean delete(String key) {
        Entry removed = entries.remove(Objects.requireNonNull(key, "key"));
        return removed != null && removed.isLiveAt(ticker.read());
    }

    @Override
    public long incrementInWindow(String key, Duration window) {
        long windowEnd = deadline(window);
        long now = ticker.read();
        Entry counter = entries.compute(Objects.requireNonNull(key, "key"), (k, old) -> old != null && old.isLiveAt(now)
                ? new Entry(Long.toString(count(k, old) + 1), old.expiresAtNanos())
                : new Entry("1", windowEnd));
        return Long.parseLong(counter.value());
    }

    @Override
    public StorageHealth health() {
        return StorageHealth.up("memory: " + cache.estimatedSize() + " entries in this process, not shared");
    }

    @Override
    public void close() {
        cache.invalidateAll();
        cache.cleanUp();
    }

    private long deadline(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a TTL or window must be positive, got " + ttl);
        }
        return ticker.read() + (ttl.compareTo(MAX_TTL) > 0 ? MAX_TTL : ttl).toNanos();
    }

    private static long count(String key, Entry entry) {
        try {
            return Long.parseLong(entry.value());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("key " + key + " holds a value, not a counter", e);
        }
    }

    /** Tells Caffeine to evict each entry at its own deadline; reads do not extend it. */
    private static final class UntilDeadline implements Expiry<String, Entry> {
        @Override
        public long expireAfterCreate(String key, Entry entry, long currentTime) {
            return entry.expiresAtNanos() - currentTime;
        }

        @Override
        public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
            return entry.expiresAtNanos() - currentTime;
        }

        @Override
        public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
