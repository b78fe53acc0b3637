package dev.ncp.host.config;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the user's configuration says about models: registry entries to override or add, and where each Claude
 * family goes. Read from {@code ~/.ncp/models.yaml} (or {@code NCP_MODELS_FILE}) and the config file's
 * {@code models:}/{@code claude:} sections by {@link UserModelsFile}; applied last, over host and plugin entries.
 *
 * @param entries        in file order; a later entry for the same id applies over an earlier one
 * @param familyTargets  model names (alias or id) for the families the user set
 */
public record UserModels(List<UserModelEntry> entries, Map<ClaudeFamily, String> familyTargets) {

    public static final UserModels NONE = new UserModels(List.of(), Map.of());

    public UserModels {
        entries = List.copyOf(entries);
        familyTargets = familyTargets.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(familyTargets));
    }

    /** These settings, then {@code later}'s over them. */
    public UserModels then(UserModels later) {
        var all = new ArrayList<>(entries);
        all.addAll(later.entries);
        var targets = new EnumMap<ClaudeFamily, String>(ClaudeFamily.class);
        targets.putAll(familyTargets);
        targets.putAll(later.familyTargets);
        return new UserModels(all, targets);
    }

    public boolean isEmpty() {
        return entries.isEmpty() && familyTargets.isEmpty();
    }
}
