package dev.ncp.host.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageContract;
import dev.ncp.api.storage.StorageSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MemoryStorageEngineTest extends StorageContract {

    private final MemoryStorageEngine engine = new MemoryStorageEngine();

    @Override
    protected Storage newStorage() {
        return engine.open(new StorageSettings(Path.of("unused"), Map.of()));
    }

    @Test
    void isNamedMemory() {
        assertEquals("memory", engine.name());
    }

    @Test
    void eachOpenedStoreIsPrivate() {
        try (Storage other = newStorage()) {
            storage().put(key("k"), "mine", LONG);
            assertEquals(Optional.empty(), other.get(key("k")));
        }
    }
}
