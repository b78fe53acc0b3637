package dev.ncp.api.storage;

import org.pf4j.ExtensionPoint;

/**
 * A storage backend, chosen by {@code STORAGE_ENGINE}. The engine itself is a stateless factory: the host finds
 * the one whose {@link #name()} matches the configuration and calls {@link #open} once at startup.
 *
 * <p>Idempotency, rate limits, sessions and shared breaker state are built by the host on top of the few
 * primitives of {@link Storage}, so every engine gets all of them for free.
 */
public interface StorageEngine extends ExtensionPoint {

    /** The configuration name of this engine: {@code "memory"}, {@code "sqlite"}, {@code "redis"}, ... */
    String name();

    /**
     * Opens the store. Fails with a {@link StorageException} whose message says what is wrong and how to fix it
     * (a corrupt file naming its path, an unreachable server naming its address) — never a bare stack trace.
     */
    Storage open(StorageSettings settings) throws StorageException;
}
