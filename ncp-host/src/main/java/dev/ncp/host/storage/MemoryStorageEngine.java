package dev.ncp.host.storage;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageEngine;
import dev.ncp.api.storage.StorageSettings;

/**
 * The {@code memory} engine: a Caffeine cache inside this process. Fast and dependency-free, but nothing is shared
 * with other ncp instances and everything is lost on restart — right for tests and single throwaway instances.
 *
 * <p>Built into the host rather than shipped as a plugin, so ncp can always start even with no plugins at all;
 * the host registers it directly, hence no {@code @Extension}.
 */
public final class MemoryStorageEngine implements StorageEngine {

    public static final String NAME = "memory";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Storage open(StorageSettings settings) {
        return new MemoryStorage(Ticker.systemTicker());
    }
}
