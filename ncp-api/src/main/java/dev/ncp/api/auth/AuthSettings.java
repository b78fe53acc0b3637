package dev.ncp.api.auth;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Configuration visible to auth providers: the ncp data directory and the raw configuration values. */
public record AuthSettings(Path dataDirectory, Map<String, String> values) {

    public AuthSettings {
        values = Map.copyOf(values);
    }

    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name)).filter(v -> !v.isBlank());
    }
}
