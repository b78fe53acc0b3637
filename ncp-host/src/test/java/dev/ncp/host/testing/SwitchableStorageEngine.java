package dev.ncp.host.testing;

import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageEngine;
import dev.ncp.api.storage.StorageException;
import dev.ncp.api.storage.StorageHealth;
import dev.ncp.api.storage.StorageSettings;
import dev.ncp.host.storage.MemoryStorageEngine;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A storage engine ({@code switchable}) whose backend a test can take down and bring back: while down, every
 * operation throws {@link StorageException} the way a lost Redis connection does, and health says so. Optionally it
 * refuses to open at all (a server that is not there at startup).
 */
public final class SwitchableStorageEngine implements StorageEngine {

    public static final String NAME = "switchable";

    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicLong failures = new AtomicLong();
    private final boolean opens;

    private SwitchableStorageEngine(boolean opens) {
        this.opens = opens;
    }

    public static SwitchableStorageEngine working() {
        return new SwitchableStorageEngine(true);
    }

    public static SwitchableStorageEngine unreachable() {
        return new SwitchableStorageEngine(false);
    }

    public void down(boolean isDown) {
        down.set(isDown);
    }

    /** Operations that failed because the backend was down. */
    public long failures() {
        return failures.get();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Storage open(StorageSettings settings) {
        if (!opens) {
            throw new StorageException("Cannot reach the switchable test store at 127.0.0.1:1 (connection refused).");
        }
        Storage memory = new MemoryStorageEngine().open(settings);
        return new Storage() {
            private <T> T call(Supplier<T> operation) {
                if (down.get()) {
                    failures.incrementAndGet();
                    throw new StorageException("Lost the connection to the switchable test store.");
                }
                return operation.get();
            }

            @Override
            public Optional<String> get(String key) {
                return call(() -> memory.get(key));
            }

            @Override
            public void put(String key, String value, Duration ttl) {
                call(() -> {
                    memory.put(key, value, ttl);
                    return null;
                });
            }

            @Override
            public boolean putIfAbsent(String key, String value, Duration ttl) {
                return call(() -> memory.putIfAbsent(key, value, ttl));
            }

            @Override
            public boolean delete(String key) {
                return call(() -> memory.delete(key));
            }

            @Override
            public long incrementInWindow(String key, Duration window) {
                return call(() -> memory.incrementInWindow(key, window));
            }

            @Override
            public StorageHealth health() {
                return down.get() ? StorageHealth.down("switchable test store is down") : memory.health();
            }

            @Override
            public void close() {
                memory.close();
            }
        };
    }
}
