package dev.ncp.host.storage;

import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageHealth;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * A {@link Storage} that times every operation of the engine it wraps (the {@code ncp_storage_operation_seconds}
 * histogram), failed ones too. The timers are looked up once, here, so an operation costs two clock reads more.
 */
public final class TimedStorage implements Storage {

    private final Storage engine;
    private final LongConsumer get;
    private final LongConsumer put;
    private final LongConsumer putIfAbsent;
    private final LongConsumer delete;
    private final LongConsumer increment;

    /** @param timers the timer of each operation ({@code get}, {@code put}...), recording nanoseconds */
    public TimedStorage(Storage engine, Function<String, LongConsumer> timers) {
        this.engine = engine;
        this.get = timers.apply("get");
        this.put = timers.apply("put");
        this.putIfAbsent = timers.apply("put_if_absent");
        this.delete = timers.apply("delete");
        this.increment = timers.apply("increment_in_window");
    }

    @Override
    public Optional<String> get(String key) {
        return timed(get, () -> engine.get(key));
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        timed(put, () -> {
            engine.put(key, value, ttl);
            return null;
        });
    }

    @Override
    public boolean putIfAbsent(String key, String value, Duration ttl) {
        return timed(putIfAbsent, () -> engine.putIfAbsent(key, value, ttl));
    }

    @Override
    public boolean delete(String key) {
        return timed(delete, () -> engine.delete(key));
    }

    @Override
    public long incrementInWindow(String key, Duration window) {
        return timed(increment, () -> engine.incrementInWindow(key, window));
    }

    @Override
    public StorageHealth health() {
        return engine.health();
    }

    @Override
    public void close() {
        engine.close();
    }

    private static <T> T timed(LongConsumer timer, Supplier<T> operation) {
        long start = System.nanoTime();
        try {
            return operation.get();
        } finally {
            timer.accept(System.nanoTime() - start);
        }
    }
}
