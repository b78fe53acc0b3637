package dev.ncp.host.model;

import dev.ncp.api.model.ModelInfo;
import dev.ncp.host.config.ClaudeFamily;
import dev.ncp.host.config.UserModelEntry;
import dev.ncp.host.config.UserModels;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every model ncp knows, by upstream id, with the client-facing aliases that point at them, and the resolution of a
 * requested model name:
 * <ol>
 *   <li>an alias ({@code claude-qwen3-coder}) → its model;</li>
 *   <li>a known upstream id, or any {@code org/name} NIM id → that model (unknown ids get conservative defaults);</li>
 *   <li>a Claude name ({@code claude-opus-5-5}, any version or date) → its family's target;</li>
 *   <li>anything else → the default model ({@code NCP_DEFAULT_MODEL}, else the opus target).</li>
 * </ol>
 * A set {@code NCP_DEFAULT_MODEL} is also every family's target: in the original it named "the default hosted
 * NVIDIA model used by ncp code and ncp proxy", whose runtime had no alias registry, so every Claude name went to
 * it. Users who set it to pin one model (Claude Code's haiku side requests included) keep getting that.
 */
public final class ModelRegistry {

    private final Map<String, ModelInfo> byId;
    private final Map<String, String> aliases;
    private final Map<ClaudeFamily, String> familyTargets;
    private final String defaultModel;

    ModelRegistry(Map<String, ModelInfo> byId, Map<String, String> aliases, Map<ClaudeFamily, String> familyTargets,
                  String defaultModel) {
        this.byId = Map.copyOf(byId);
        this.aliases = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(aliases)); // listing order matters
        this.familyTargets = Map.copyOf(familyTargets);
        this.defaultModel = defaultModel;
    }

    /**
     * Builds the registry: host entries, then entries contributed by model plugins (which win for the same id).
     * When {@code defaultModel} is set, every Claude family goes to it, as {@code ncp proxy --model M} promises.
     */
    public static ModelRegistry build(List<ModelInfo> pluginEntries, Optional<String> defaultModel) {
        return build(pluginEntries, UserModels.NONE, defaultModel);
    }

    /**
     * Builds the registry in precedence order host &lt; plugins &lt; user: host entries, then plugin entries (whole
     * entries, winning for the same id), then the user's entries applied field by field, and the user's aliases
     * last, so they win over any alias of the same name. Claude families go to the user's targets where set, and
     * all of them to {@code defaultModel} when it is set ({@code ncp proxy --model M} is the most specific wish).
     */
    public static ModelRegistry build(List<ModelInfo> pluginEntries, UserModels user, Optional<String> defaultModel) {
        Map<String, ModelInfo> byId = new LinkedHashMap<>();
        GenericModels.entries().forEach(m -> byId.put(m.id(), m));
        pluginEntries.forEach(m -> byId.put(m.id(), m));
        GenericModels.fallbackChains().forEach((id, chain) -> byId.computeIfPresent(id,
                (k, m) -> m.fallbacks().isEmpty() ? m.withFallbacks(chain) : m));
        for (UserModelEntry entry : user.entries()) {
            byId.put(entry.id(), entry.applyTo(byId.getOrDefault(entry.id(), ModelInfo.unknown(entry.id()))));
        }
        Map<ClaudeFamily, String> targets = new EnumMap<>(GenericModels.familyTargets());
        targets.putAll(user.familyTargets());
        defaultModel.ifPresent(m -> targets.replaceAll((family, target) -> m));
        Map<String, String> aliases = new LinkedHashMap<>();
        // The original's family names, listed so clients see them; any other Claude name resolves by family.
        aliases.put("claude-opus-4-7", targets.get(ClaudeFamily.OPUS));
        aliases.put("claude-sonnet-4-6", targets.get(ClaudeFamily.SONNET));
        aliases.put("claude-haiku-4-5", targets.get(ClaudeFamily.HAIKU));
        new java.util.TreeMap<>(GenericModels.aliases()).forEach(aliases::put);
        byId.values().forEach(m -> m.aliases().forEach(a -> aliases.put(a, m.id())));
        user.entries().forEach(e -> byId.get(e.id()).aliases().forEach(a -> aliases.put(a, e.id())));
        // A target may itself be an alias (claude: {opus: claude-qwen3}); point at the model it names.
        aliases.replaceAll((alias, target) -> aliases.getOrDefault(target, target));
        targets.replaceAll((family, target) -> aliases.getOrDefault(target, target));
        return new ModelRegistry(byId, aliases, targets, defaultModel.map(m -> aliases.getOrDefault(m, m))
                .orElse(targets.get(ClaudeFamily.OPUS)));
    }

    /** Resolves any requested name; never fails (unknown names go to the default model). */
    public Resolution resolve(String requested) {
        return lookup(requested).orElseGet(() -> new Resolution(requested, model(defaultModel), "default"));
    }

    /** Resolves a name only if it means something to ncp (used by {@code GET /v1/models/{id}}). */
    public Optional<Resolution> lookup(String requested) {
        String alias = aliases.get(requested);
        if (alias != null) {
            return Optional.of(new Resolution(requested, model(alias), "alias"));
        }
        if (byId.containsKey(requested) || requested.matches("[\\w.-]+/[\\w.:-]+")) {
            return Optional.of(new Resolution(requested, model(requested), "direct"));
        }
        return ClaudeFamily.of(requested)
                .map(f -> new Resolution(requested, model(familyTargets.get(f)), "family:" + f.label()));
    }

    /** The model with this upstream id; ids nobody described get conservative defaults. */
    public ModelInfo model(String upstreamId) {
        return byId.getOrDefault(upstreamId, ModelInfo.unknown(upstreamId));
    }

    /** The largest context window of any model ncp can route to (an undescribed id gets the conservative default). */
    public int largestContextWindow() {
        return Math.max(ModelInfo.unknown("-").contextWindow(),
                models().stream().mapToInt(ModelInfo::contextWindow).max().orElse(0));
    }

    /** Whether an entry (host, plugin or user) describes this upstream id. */
    public boolean describes(String upstreamId) {
        return byId.containsKey(upstreamId);
    }

    public Collection<ModelInfo> models() {
        return byId.values();
    }

    /** Alias → upstream id, including the family names Claude Code uses by default. */
    public Map<String, String> aliases() {
        return aliases;
    }

    public Map<ClaudeFamily, String> familyTargets() {
        return familyTargets;
    }

    public String defaultModel() {
        return defaultModel;
    }
}
