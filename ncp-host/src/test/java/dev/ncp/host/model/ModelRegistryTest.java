package dev.ncp.host.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.api.model.ModelInfo;
import dev.ncp.host.config.ClaudeFamily;
import dev.ncp.host.config.Config;
import dev.ncp.host.config.UserModelEntry;
import dev.ncp.host.config.UserModels;
import dev.ncp.host.resilience.ResilienceEvents;
import dev.ncp.host.resilience.UpstreamResilience;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelRegistryTest {

    private final ModelRegistry registry = ModelRegistry.build(List.of(), Optional.empty());

    @ParameterizedTest
    @CsvSource({
        "claude-opus-5-5, qwen/qwen3-coder-480b-a35b-instruct, family:opus",
        "claude-opus-4-1-20250805, qwen/qwen3-coder-480b-a35b-instruct, family:opus",
        "claude-3-opus-20240229, qwen/qwen3-coder-480b-a35b-instruct, family:opus",
        "claude-sonnet-4-5, nvidia/llama-3.3-nemotron-super-49b-v1.5, family:sonnet",
        "claude-3-7-sonnet-latest, nvidia/llama-3.3-nemotron-super-49b-v1.5, family:sonnet",
        "claude-haiku-5-5, nvidia/nemotron-3-nano-30b-a3b, family:haiku",
        "claude-3-5-haiku-20241022, nvidia/nemotron-3-nano-30b-a3b, family:haiku",
        "claude-opus-4-7, qwen/qwen3-coder-480b-a35b-instruct, alias",
        "claude-llama4-maverick, meta/llama-4-maverick-17b-128e-instruct, alias",
        "moonshotai/kimi-k2-instruct, moonshotai/kimi-k2-instruct, direct",
        "meta/llama-3.3-70b-instruct, meta/llama-3.3-70b-instruct, direct",
        "gpt-4o, qwen/qwen3-coder-480b-a35b-instruct, default",
    })
    void namesResolveByAliasIdFamilyThenDefault(String requested, String upstream, String route) {
        Resolution r = registry.resolve(requested);
        assertEquals(upstream, r.model().id());
        assertEquals(route, r.route());
        assertEquals(requested, r.requested());
    }

    @Test
    void unknownNimIdsGetConservativeDefaults() {
        ModelInfo m = registry.resolve("acme/new-model-7b").model();
        assertEquals(131_072, m.contextWindow());
        assertEquals(16_384, m.maxOutputTokens());
        assertTrue(m.capabilities().tools());
    }

    @Test
    void theDefaultModelTakesEveryClaudeNameAndTheRestButNotAliasesOrNimIds() {
        var custom = ModelRegistry.build(List.of(), Optional.of("qwen/qwen3-235b-a22b"));
        assertEquals("qwen/qwen3-235b-a22b", custom.resolve("claude-haiku-4-5").model().id());
        assertEquals("qwen/qwen3-235b-a22b", custom.resolve("claude-3-5-haiku-20241022").model().id());
        assertEquals("qwen/qwen3-235b-a22b", custom.resolve("claude-sonnet-4-5").model().id());
        assertEquals("qwen/qwen3-235b-a22b", custom.resolve("claude-opus-5-5").model().id());
        assertEquals("family:haiku", custom.resolve("claude-haiku-5-5").route());
        assertEquals("qwen/qwen3-235b-a22b", custom.resolve("whatever").model().id());
        assertEquals("default", custom.resolve("whatever").route());
        assertEquals("meta/llama-3.3-70b-instruct", custom.resolve("claude-llama-3-3").model().id());
        assertEquals("deepseek-ai/deepseek-r1", custom.resolve("deepseek-ai/deepseek-r1").model().id());
    }

    @Test
    void withoutADefaultModelClaudeNamesGoByFamilyAndTheRestToTheOpusTarget() {
        var r = ModelRegistry.build(List.of(), Optional.empty());
        assertEquals(r.familyTargets().get(ClaudeFamily.HAIKU), r.resolve("claude-haiku-4-5").model().id());
        assertEquals(r.familyTargets().get(ClaudeFamily.OPUS), r.resolve("gpt-4o").model().id());
        assertTrue(!r.familyTargets().get(ClaudeFamily.HAIKU).equals(r.familyTargets().get(ClaudeFamily.OPUS)));
    }

    @Test
    void pluginEntriesWinAndTheirAliasesResolve() {
        var plugin = new ModelInfo("qwen/qwen3-coder-480b-a35b-instruct", "qwen3-coder", List.of("coder"), 262_144,
                32_768, ModelInfo.Capabilities.TOOLS_ONLY, "qwen-kwargs", List.of(), Map.of());
        var r = ModelRegistry.build(List.of(plugin), Optional.empty());
        assertEquals(262_144, r.resolve("claude-opus-4-7").model().contextWindow());
        assertEquals("alias", r.resolve("coder").route());
    }

    @Test
    void lookupRefusesNamesThatMeanNothing() {
        assertTrue(registry.lookup("gpt-4o").isEmpty());
        assertTrue(registry.lookup("claude-sonnet-4-5").isPresent());
    }

    private static UserModelEntry only(String id, Integer contextWindow, List<String> aliases) {
        return new UserModelEntry(id, null, aliases, contextWindow, null, null, null, null, null, null, null, null,
                null);
    }

    private static final String CODER = "qwen/qwen3-coder-480b-a35b-instruct";
    private static final String SUPER = "nvidia/llama-3.3-nemotron-super-49b-v1.5";
    private static final String NANO = "nvidia/nemotron-3-nano-30b-a3b";

    /** The opus, sonnet and haiku targets as their family plugins describe them (no chains of their own). */
    private static List<ModelInfo> familyPluginEntries() {
        return List.of(ModelInfo.unknown(CODER), ModelInfo.unknown(SUPER), ModelInfo.unknown(NANO));
    }

    private static List<String> fallbackIds(ModelRegistry r, String requested) {
        return resilience(r, List.of()).fallbacks(r.resolve(requested).model()).stream().map(ModelInfo::id).toList();
    }

    /** Resilience over one default upstream, with {@code fallbackModels} as NCP_FALLBACK_MODELS. */
    private static UpstreamResilience resilience(ModelRegistry r, List<String> fallbackModels) {
        var upstream = new dev.ncp.host.upstream.Upstream("default", java.net.URI.create("http://127.0.0.1:9/v1"),
                false, 1, 0, 0, null, System::nanoTime);
        return new UpstreamResilience(Config.Resilience.defaults(),
                dev.ncp.host.config.BreakerSettings.defaults(), dev.ncp.host.upstream.Deployments.only(upstream),
                new dev.ncp.host.storage.MemoryStorageEngine().open(new dev.ncp.api.storage.StorageSettings(
                        java.nio.file.Path.of("."), java.util.Map.of())), r, fallbackModels, ResilienceEvents.NONE);
    }

    @Test
    void theOriginalsFallbackChainsComeWithTheOpusAndSonnetModels() {
        var r = ModelRegistry.build(familyPluginEntries(), Optional.empty());
        assertEquals(List.of("claude-sonnet-4-6", "claude-qwen3-coder", "claude-haiku-4-5"), r.model(CODER).fallbacks());
        assertEquals(List.of("claude-haiku-4-5"), r.model(SUPER).fallbacks());
        assertEquals(List.of(), r.model(NANO).fallbacks());
        // opus → sonnet-4-6 → (qwen3-coder is opus itself: skipped) → haiku; sonnet → haiku
        assertEquals(List.of(SUPER, NANO), fallbackIds(r, "claude-opus-4-7"));
        assertEquals(List.of(NANO), fallbackIds(r, "claude-sonnet-4-5-20250929"));
        assertEquals(List.of(), fallbackIds(r, "claude-haiku-4-5"));
    }

    @Test
    void aChainLeftEmptyByModelGivesWayToTheFallbackModelsList() {
        // --model puts every family on the coder: its own chain (sonnet, coder, haiku) names only itself
        var r = ModelRegistry.build(familyPluginEntries(), Optional.of(CODER));
        var resilience = resilience(r, List.of("moonshotai/kimi-k2-instruct", CODER));
        assertEquals(List.of("moonshotai/kimi-k2-instruct"), resilience.fallbacks(r.resolve("claude-opus-4-7").model())
                .stream().map(ModelInfo::id).toList());
        assertEquals(List.of(), fallbackIds(r, "claude-opus-4-7"), "without the list, still nothing");
    }

    @Test
    void aPluginsOwnChainAndTheUsersChainWinOverTheOriginals() {
        var own = ModelInfo.unknown(CODER).withFallbacks(List.of("claude-llama-3-3"));
        var r = ModelRegistry.build(List.of(own, ModelInfo.unknown(SUPER)), Optional.empty());
        assertEquals(List.of("meta/llama-3.3-70b-instruct"), fallbackIds(r, "claude-opus-4-7"));
        var user = new UserModels(List.of(new UserModelEntry(SUPER, null, null, null, null, null, null, null, null,
                null, null, List.of("claude-deepseek-v4-flash"), null)), Map.of());
        var withUser = ModelRegistry.build(familyPluginEntries(), user, Optional.empty());
        assertEquals(List.of("deepseek-ai/deepseek-v4-flash"), fallbackIds(withUser, "claude-sonnet-4-6"));
    }

    @Test
    void userEntriesOverridePluginEntriesFieldByField() {
        var plugin = new ModelInfo("qwen/qwen3-coder-480b-a35b-instruct", "qwen3-coder", List.of("coder"), 262_144,
                32_768, new ModelInfo.Capabilities(true, false, true, false), "qwen-kwargs", List.of(),
                Map.of("temperature", 0.7));
        var user = new UserModels(List.of(only("qwen/qwen3-coder-480b-a35b-instruct", 65_536, null)), Map.of());
        ModelInfo m = ModelRegistry.build(List.of(plugin), user, Optional.empty()).model(plugin.id());
        assertEquals(65_536, m.contextWindow());
        assertEquals(32_768, m.maxOutputTokens());
        assertEquals("qwen-kwargs", m.reasoningStyle());
        assertTrue(m.capabilities().reasoning());
        assertEquals(Map.of("temperature", 0.7), m.samplingOverrides());
        assertEquals(List.of("coder"), m.aliases());
    }

    @Test
    void userEntriesAddModelsWithConservativeDefaultsAndTheirAliasesWin() {
        var plugin = new ModelInfo("qwen/qwen3-235b-a22b", "qwen3", List.of("coder"), 131_072, 16_384, null,
                "qwen-kwargs", List.of(), Map.of());
        var user = new UserModels(List.of(only("meta/llama-3.3-70b-instruct", null, List.of("coder")),
                only("acme/new-70b", null, List.of("acme"))), Map.of());
        var r = ModelRegistry.build(List.of(plugin), user, Optional.empty());
        assertEquals("meta/llama-3.3-70b-instruct", r.resolve("coder").model().id());
        ModelInfo added = r.resolve("acme").model();
        assertEquals("acme/new-70b", added.id());
        assertEquals(131_072, added.contextWindow());
        assertTrue(r.describes("acme/new-70b"));
        assertTrue(r.models().contains(added));
    }

    @Test
    void userFamilyTargetsMoveClaudeNamesAndMayNameAnAlias() {
        var user = new UserModels(List.of(), Map.of(ClaudeFamily.HAIKU, "claude-llama-3-3",
                ClaudeFamily.SONNET, "acme/sonnet-like"));
        var r = ModelRegistry.build(List.of(), user, Optional.empty());
        assertEquals("meta/llama-3.3-70b-instruct", r.resolve("claude-3-5-haiku-20241022").model().id());
        assertEquals("meta/llama-3.3-70b-instruct", r.resolve("claude-haiku-4-5").model().id());
        assertEquals("acme/sonnet-like", r.resolve("claude-sonnet-4-5").model().id());
        assertEquals("qwen/qwen3-coder-480b-a35b-instruct", r.resolve("claude-opus-5-5").model().id());
    }

    @Test
    void theDefaultModelStillWinsOverUserFamilyTargets() {
        var user = new UserModels(List.of(), Map.of(ClaudeFamily.HAIKU, "acme/small"));
        var r = ModelRegistry.build(List.of(), user, Optional.of("claude-llama-3-3"));
        assertEquals("meta/llama-3.3-70b-instruct", r.resolve("claude-haiku-4-5").model().id());
        assertEquals("meta/llama-3.3-70b-instruct", r.resolve("gpt-4o").model().id());
    }
}
