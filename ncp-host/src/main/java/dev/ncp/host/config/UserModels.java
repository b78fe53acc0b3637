package dev.ncp.host.config;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the user's configuration says about models: registry entries to override or add, where each Claude
 * family goes, and where models are served — the named upstreams and each model's deployments on them. Read from
 * {@code ~/.ncp/models.yaml} (or {@code NCP_MODELS_FILE}) and the config file's {@code models:}/{@code claude:}/
 * {@code upstreams:} sections by {@link UserModelsFile}; applied last, over host and plugin entries.
 *
 * @param entries        in file order; a later entry for the same id applies over an earlier one
 * @param familyTargets  model names (alias or id) for the families the user set
 * @param upstreams      the named upstreams, by name
 * @param deployments    model id → the names of the upstreams that serve it, in the order written; a model not
 *                       here is served by the default upstream ({@code NVIDIA_BASE_URL})
 */
public record UserModels(List<UserModelEntry> entries, Map<ClaudeFamily, String> familyTargets,
                         Map<String, UpstreamDefinition> upstreams, Map<String, List<String>> deployments) {

    public static final UserModels NONE = new UserModels(List.of(), Map.of());

    public UserModels {
        entries = List.copyOf(entries);
        familyTargets = familyTargets.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(familyTargets));
        upstreams = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(upstreams));
        var copy = new LinkedHashMap<String, List<String>>();
        deployments.forEach((model, names) -> copy.put(model, List.copyOf(names)));
        deployments = java.util.Collections.unmodifiableMap(copy);
    }

    public UserModels(List<UserModelEntry> entries, Map<ClaudeFamily, String> familyTargets) {
        this(entries, familyTargets, Map.of(), Map.of());
    }

    /** These settings, then {@code later}'s over them. */
    public UserModels then(UserModels later) {
        var all = new ArrayList<>(entries);
        all.addAll(later.entries);
        var targets = new EnumMap<ClaudeFamily, String>(ClaudeFamily.class);
        targets.putAll(familyTargets);
        targets.putAll(later.familyTargets);
        var ups = new LinkedHashMap<>(upstreams);
        ups.putAll(later.upstreams);
        var deps = new LinkedHashMap<>(deployments);
        deps.putAll(later.deployments);
        return new UserModels(all, targets, ups, deps);
    }

    /**
     * Checks that every deployment names a known upstream and reads each upstream's key from the variable it names
     * ({@code variables}: the environment and settings as loaded); a named variable that is unset stops startup,
     * unless {@code keysOptional} (then that upstream has no key: {@link UpstreamDefinition#keyMissing()}).
     */
    UserModels resolved(Function<String, String> variables, boolean keysOptional) {
        deployments.forEach((model, names) -> {
            for (String name : names) {
                if (!upstreams.containsKey(name)) {
                    throw new ConfigException("models (" + model + "): upstreams: unknown upstream '" + name + "'; "
                            + (upstreams.isEmpty() ? "define it under upstreams:"
                            : "known upstreams: " + String.join(", ", upstreams.keySet())));
                }
            }
        });
        var withKeys = new LinkedHashMap<String, UpstreamDefinition>();
        upstreams.forEach((name, u) -> withKeys.put(name, u.apiKeyEnv().map(variable -> {
            String key = variables.apply(variable);
            if ((key == null || key.isBlank()) && keysOptional) {
                return u;
            }
            if (key == null || key.isBlank()) {
                throw new ConfigException("upstreams." + name + ".api_key_env: the variable " + variable
                        + " is not set; export the key as " + variable + " (or drop api_key_env for an upstream"
                        + " without auth)");
            }
            return u.withKey(key.strip());
        }).orElse(u)));
        return new UserModels(entries, familyTargets, withKeys, deployments);
    }

    public boolean isEmpty() {
        return entries.isEmpty() && familyTargets.isEmpty() && upstreams.isEmpty();
    }
}
