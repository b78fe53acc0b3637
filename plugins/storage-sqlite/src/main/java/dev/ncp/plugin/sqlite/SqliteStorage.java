package dev.ncp.plugin.sqlite;

import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageException;
import dev.ncp.api.storage.StorageHealth;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Storage} on one SQLite connection. Every operation is a single SQL statement, so SQLite's own write lock
 * makes it atomic — within this process and against other processes on the same file (they wait up to the busy
 * timeout). Within the process one connection behind a lock is enough: SQLite runs one writer at a time anyway,
 * and these statements take microseconds. A {@link ReentrantLock}, not {@code synchronized}, so waiting virtual
 * threads do not pin their carriers.
 *
 * <p>Expired rows are swept on the write path: every {@value #SWEEP_EVERY_WRITES}th write deletes up to
 * {@value #SWEEP_LIMIT} expired rows per table. No background thread to manage, the cost is bounded per write,
 * and a store that nobody writes to does not grow.
 */
final class SqliteStorage implements Storage {

    static final int SWEEP_EVERY_WRITES = 256;
    static final int SWEEP_LIMIT = 1_000;
    private static final Duration MAX_TTL = Duration.ofDays(365L * 100);

    private static final String GET = "SELECT value FROM kv WHERE key = ?1 AND expires_at > ?2";
    private static final String PUT = """
            INSERT INTO kv (key, value, expires_at) VALUES (?1, ?2, ?3)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at""";
    /** Replaces only an expired row; 0 rows changed means a live value was already there. */
    private static final String PUT_IF_ABSENT = PUT + " WHERE kv.expires_at <= ?4";
    /** An expired row is not deleted here (it is not live, so the caller gets false); the sweep removes it. */
    private static final String DELETE = "DELETE FROM kv WHERE key = ?1 AND expires_at > ?2";
    /** Right-hand sides see the old row, so both CASEs test the same, old window. */
    private static final String INCREMENT = """
            INSERT INTO counters (key, count, window_ends_at) VALUES (?1, 1, ?2)
            ON CONFLICT (key) DO UPDATE SET
                count          = CASE WHEN counters.window_ends_at > ?3 THEN counters.count + 1 ELSE 1 END,
                window_ends_at = CASE WHEN counters.window_ends_at > ?3 THEN counters.window_ends_at
                                      ELSE excluded.window_ends_at END
            RETURNING count""";
    private static final String SWEEP_VALUES =
            "DELETE FROM kv WHERE rowid IN (SELECT rowid FROM kv WHERE expires_at <= ?1 LIMIT " + SWEEP_LIMIT + ")";
    private static final String SWEEP_COUNTERS = "DELETE FROM counters WHERE rowid IN"
            + " (SELECT rowid FROM counters WHERE window_ends_at <= ?1 LIMIT " + SWEEP_LIMIT + ")";
    /** Touches the file (unlike {@code SELECT 1}) so a vanished or locked database shows up. */
    private static final String PROBE = "SELECT count(*) FROM (SELECT 1 FROM kv LIMIT 1)";

    private final Path path;
    private final Connection connection;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final PreparedStatement get;
    private final PreparedStatement put;
    private final PreparedStatement putIfAbsent;
    private final PreparedStatement delete;
    private final PreparedStatement increment;
    private final PreparedStatement sweepValues;
    private final PreparedStatement sweepCounters;
    private final PreparedStatement probe;
    private long writesSinceSweep;
    private boolean closed;

    /** Creates the schema if needed; fails with a {@link StorageException} explaining a bad file. */
    SqliteStorage(Path path, Connection connection, Clock clock) {
        this.path = path;
        this.connection = connection;
        this.clock = clock;
        try {
            SqliteSchema.create(connection);
            get = connection.prepareStatement(GET);
            put = connection.prepareStatement(PUT);
            putIfAbsent = connection.prepareStatement(PUT_IF_ABSENT);
            delete = connection.prepareStatement(DELETE);
            increment = connection.prepareStatement(INCREMENT);
            sweepValues = connection.prepareStatement(SWEEP_VALUES);
            sweepCounters = connection.prepareStatement(SWEEP_COUNTERS);
            probe = connection.prepareStatement(PROBE);
        } catch (SQLException e) {
            throw SqliteFailures.explain(path, e);
        }
        writesSinceSweep = SWEEP_EVERY_WRITES; // sweep what earlier runs left behind on the first write
    }

    @Override
    public Optional<String> get(String key) {
        Objects.requireNonNull(key, "key");
        return locked(() -> {
            get.setString(1, key);
            get.setLong(2, clock.millis());
            try (ResultSet row = get.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        });
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        long ttlMillis = positiveMillis(ttl);
        locked(() -> {
            long now = clock.millis();
            put.setString(1, key);
            put.setString(2, value);
            put.setLong(3, now + ttlMillis);
            put.executeUpdate();
            afterWrite(now);
            return null;
        });
    }

    @Override
    public boolean putIfAbsent(String key, String value, Duration ttl) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        long ttlMillis = positiveMillis(ttl);
        return locked(() -> {
            long now = clock.millis();
            putIfAbsent.setString(1, key);
            putIfAbsent.setString(2, value);
            putIfAbsent.setLong(3, now + ttlMillis);
            putIfAbsent.setLong(4, now);
            boolean stored = putIfAbsent.executeUpdate() == 1;
            afterWrite(now);
            return stored;
        });
    }

    @Override
    public boolean delete(String key) {
        Objects.requireNonNull(key, "key");
        return locked(() -> {
            delete.setString(1, key);
            delete.setLong(2, clock.millis());
            return delete.executeUpdate() == 1;
        });
    }

    @Override
    public long incrementInWindow(String key, Duration window) {
        Objects.requireNonNull(key, "key");
        long windowMillis = positiveMillis(window);
        return locked(() -> {
            long now = clock.millis();
            increment.setString(1, key);
            increment.setLong(2, now + windowMillis);
            increment.setLong(3, now);
            long count;
            try (ResultSet row = increment.executeQuery()) {
                row.next();
                count = row.getLong(1);
            }
            afterWrite(now);
            return count;
        });
    }

    @Override
    public StorageHealth health() {
        long start = System.nanoTime();
        try {
            locked(() -> {
                try (ResultSet row = probe.executeQuery()) {
                    return row.next();
                }
            });
            double millis = (System.nanoTime() - start) / 1e6;
            return StorageHealth.up(String.format("sqlite %s answered in %.1f ms", path, millis));
        } catch (RuntimeException e) {
            return StorageHealth.down(e.getMessage());
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            connection.close(); // also closes the prepared statements
        } catch (SQLException e) {
            throw SqliteFailures.explain(path, e);
        } finally {
            lock.unlock();
        }
    }

    /** Sweeps expired rows on every {@value #SWEEP_EVERY_WRITES}th write; runs under the lock. */
    private void afterWrite(long now) throws SQLException {
        if (++writesSinceSweep < SWEEP_EVERY_WRITES) {
            return;
        }
        writesSinceSweep = 0;
        sweepValues.setLong(1, now);
        sweepCounters.setLong(1, now);
        sweepValues.executeUpdate();
        sweepCounters.executeUpdate();
    }

    private <T> T locked(SqlAction<T> action) {
        lock.lock();
        try {
            if (closed) {
                throw new StorageException("The SQLite storage at " + path + " has been closed.");
            }
            return action.run();
        } catch (SQLException e) {
            throw SqliteFailures.explain(path, e);
        } finally {
            lock.unlock();
        }
    }

    /** Rounds sub-millisecond durations up, so a positive TTL never becomes an already-expired row. */
    private static long positiveMillis(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a TTL or window must be positive, got " + duration);
        }
        Duration clamped = duration.compareTo(MAX_TTL) > 0 ? MAX_TTL : duration;
        return Math.max(1, clamped.toMillis());
    }

    @FunctionalInterface
    private interface SqlAction<T> {
        T run() throws SQLException;
    }
}
