package dev.ncp.api.storage;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What an engine needs to open its store: the ncp data directory ({@code ~/.ncp} unless overridden) and the raw
 * configuration values (environment variables such as {@code NCP_SQLITE_PATH}, {@code REDIS_URL}), so a plugin can
 * read settings the host does not know about.
 */
public record StorageSettings(Path dataDirectory, Map<String, String> values) {

    public StorageSettings {
        values = Map.copyOf(values);
    }

    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name)).filter(v -> !v.isBlank());
    }
}
