package dev.ncp.host.storage;

import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageEngine;
import dev.ncp.api.storage.StorageException;
import dev.ncp.api.storage.StorageSettings;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the configured engine. When it cannot open (Redis down, a corrupt SQLite file) startup fails with the
 * engine's message — unless the user chose {@code NCP_STORAGE_FALLBACK=memory}, in which case ncp warns loudly and
 * runs on the memory engine: nothing shared with other instances, nothing kept across restarts.
 */
public final class StorageStartup {

    private static final Logger log = LoggerFactory.getLogger(StorageStartup.class);

    /** The open store, the engine that actually serves it, and why it is not the configured one (if so). */
    public record OpenStorage(String engine, Storage storage, Optional<String> fallbackReason) {
    }

    private StorageStartup() {
    }

    public static OpenStorage open(StorageEngine engine, StorageSettings settings, Optional<String> fallback) {
        try {
            return new OpenStorage(engine.name(), engine.open(settings), Optional.empty());
        } catch (StorageException e) {
            if (fallback.isEmpty()) {
                throw e;
            }
            String reason = "STORAGE_ENGINE=" + engine.name() + " failed to open: " + e.getMessage();
            log.warn("!!! STORAGE FALLBACK: {} NCP_STORAGE_FALLBACK=memory is set, so ncp runs on the memory engine:"
                    + " idempotency, rate limits and sessions are NOT shared with other instances and are lost on"
                    + " restart. Fix the {} storage and restart ncp to get them back.", reason, engine.name());
            MemoryStorageEngine memory = new MemoryStorageEngine();
            return new OpenStorage(memory.name(), memory.open(settings), Optional.of(reason));
        }
    }
}
