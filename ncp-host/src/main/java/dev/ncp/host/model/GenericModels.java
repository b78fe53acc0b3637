package dev.ncp.host.model;

import dev.ncp.api.model.ModelInfo.Capabilities;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.host.config.ClaudeFamily;
import java.util.List;
import java.util.Map;

/**
 * Registry entries the host ships for models no family plugin describes, and the client-facing aliases of the
 * original nvd-claude-proxy. Family plugins contribute their own entries (which win for the same id).
 */
final class GenericModels {

    private static final Capabilities TOOLS = new Capabilities(true, false, false, false);
    private static final Capabilities TOOLS_VISION = new Capabilities(true, true, false, false);
    private static final Capabilities TOOLS_REASONING = new Capabilities(true, false, true, false);

    private GenericModels() {
    }

    static List<ModelInfo> entries() {
        return List.of(
                model("meta/llama-4-maverick-17b-128e-instruct", "llama-4", 1_000_000, TOOLS_VISION, "none",
                        List.of("meta/llama-4-scout-17b-16e-instruct")),
                model("meta/llama-4-scout-17b-16e-instruct", "llama-4", 10_000_000, TOOLS_VISION, "none", List.of()),
                model("meta/llama-3.3-70b-instruct", "llama-3.3", 131_072, TOOLS, "none", List.of()),
                model("deepseek-ai/deepseek-v4-pro", "deepseek-v4", 1_000_000, TOOLS_REASONING, "always-on", List.of()),
                model("deepseek-ai/deepseek-v4-flash", "deepseek-v4", 1_000_000, TOOLS, "none", List.of()),
                model("deepseek-ai/deepseek-r1", "deepseek-r1", 131_072, new Capabilities(false, false, true, false),
                        "always-on", List.of()),
                model("mistralai/mistral-small-4-119b-2603", "mistral", 131_072, TOOLS_VISION, "none", List.of()),
                model("google/gemma-4-31b-it", "gemma-4", 131_072, TOOLS_VISION, "none", List.of()),
                // MiniMax M2 thinks always and writes it inline as <think>...</think>: marked reasoning so the host
                // turns it into a thinking block (no forced sampling: its card's temperature 1.0 is the default)
                new ModelInfo("minimaxai/minimax-m2.7", "minimax", List.of(), 204_800, 16_384, TOOLS_REASONING,
                        "always-on", List.of(), Map.of()));
    }

    /** Client-facing names of the original, each to an upstream id. */
    static Map<String, String> aliases() {
        return Map.ofEntries(
                Map.entry("claude-llama4-maverick", "meta/llama-4-maverick-17b-128e-instruct"),
                Map.entry("claude-opus-4-7-vision", "meta/llama-4-maverick-17b-128e-instruct"),
                Map.entry("claude-llama4-scout", "meta/llama-4-scout-17b-16e-instruct"),
                Map.entry("claude-qwen3", "qwen/qwen3-235b-a22b"),
                Map.entry("claude-qwen3-coder", "qwen/qwen3-coder-480b-a35b-instruct"),
                Map.entry("claude-deepseek-v4", "deepseek-ai/deepseek-v4-pro"),
                Map.entry("claude-deepseek-v4-flash", "deepseek-ai/deepseek-v4-flash"),
                Map.entry("claude-r1", "deepseek-ai/deepseek-r1"),
                Map.entry("claude-mistral", "mistralai/mistral-small-4-119b-2603"),
                Map.entry("claude-gemma4", "google/gemma-4-31b-it"),
                Map.entry("claude-minimax", "minimaxai/minimax-m2.7"),
                Map.entry("claude-llama-3-3", "meta/llama-3.3-70b-instruct"));
    }

    /** Where each Claude family goes by default (the original's opus/sonnet/haiku mapping). */
    static Map<ClaudeFamily, String> familyTargets() {
        return Map.of(
                ClaudeFamily.OPUS, "qwen/qwen3-coder-480b-a35b-instruct",
                ClaudeFamily.SONNET, "nvidia/llama-3.3-nemotron-super-49b-v1.5",
                ClaudeFamily.HAIKU, "nvidia/nemotron-3-nano-30b-a3b");
    }

    /**
     * The original's fallback chains, on the models its opus and sonnet names went to: opus → sonnet-4-6 →
     * qwen3-coder → haiku, sonnet → haiku. Names are aliases, resolved when a fallback is needed (so they follow a
     * user's own family targets); the primary itself is skipped. They apply when a family plugin describes the
     * model and names no chain of its own; a user's {@code fallbacks:} replaces them.
     */
    static Map<String, List<String>> fallbackChains() {
        return Map.of(
                "qwen/qwen3-coder-480b-a35b-instruct", List.of("claude-sonnet-4-6", "claude-qwen3-coder",
                        "claude-haiku-4-5"),
                "nvidia/llama-3.3-nemotron-super-49b-v1.5", List.of("claude-haiku-4-5"));
    }

    private static ModelInfo model(String id, String family, int context, Capabilities caps, String reasoning,
                                   List<String> fallbacks) {
        Map<String, Object> sampling = reasoning.equals("always-on") ? Map.of("temperature", 0.6) : Map.of();
        return new ModelInfo(id, family, List.of(), context, 16_384, caps, reasoning, fallbacks, sampling);
    }
}
