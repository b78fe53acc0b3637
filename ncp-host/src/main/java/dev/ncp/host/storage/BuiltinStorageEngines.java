package dev.ncp.host.storage;

import dev.ncp.api.storage.StorageEngine;
import java.util.List;

/** The storage engines built into the host (plugins add the others). */
public final class BuiltinStorageEngines {

    private BuiltinStorageEngines() {
    }

    public static List<StorageEngine> all() {
        return List.of(new MemoryStorageEngine());
    }
}
