package dev.ncp.host.config;

import dev.ncp.host.config.UserModels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every source added up, before the values are typed into a {@link Config}: each raw value with its origin, the
 * config file's sections, and the warnings found on the way (an unknown {@code NCP_*} variable, an original name
 * ncp has no use for). The CLI prints the warnings; {@code ncp config show} prints the values.
 */
public record ResolvedSettings(Map<String, EffectiveValue> values, UserModels fromConfigFile, List<String> warnings) {

    public ResolvedSettings {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        warnings = List.copyOf(warnings);
    }

    /** The plain name → value map a {@link Config} keeps for plugins. */
    public Map<String, String> raw() {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, v.value()));
        return out;
    }
}
