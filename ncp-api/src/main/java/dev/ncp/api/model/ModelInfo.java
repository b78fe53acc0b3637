package dev.ncp.api.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One upstream model as the registry knows it.
 *
 * @param id               the upstream (NIM) model id sent in the OpenAI request, e.g. {@code qwen/qwen3-coder-480b-a35b-instruct}
 * @param family           a short family name adapters match on, e.g. {@code "qwen3-coder"}, {@code "nemotron-super-v1.5"}
 * @param aliases          client-facing names that resolve to this model, e.g. {@code claude-opus-4-7}
 * @param contextWindow    total context in tokens (input + output)
 * @param maxOutputTokens  the most output tokens one answer may ask for
 * @param capabilities     what the model supports
 * @param reasoningStyle   how this model's thinking is switched, e.g. {@code "qwen-kwargs"}, {@code "slash-think"},
 *                         {@code "detailed-thinking-v1"}, {@code "always-on"}, {@code "none"}
 * @param fallbacks        upstream ids (or aliases) tried in order when this model cannot answer
 * @param samplingOverrides fields forced onto the OpenAI request, e.g. {@code temperature: 0.6}
 */
public record ModelInfo(
        String id,
        String family,
        List<String> aliases,
        int contextWindow,
        int maxOutputTokens,
        Capabilities capabilities,
        String reasoningStyle,
        List<String> fallbacks,
        Map<String, Object> samplingOverrides) {

    public ModelInfo {
        Objects.requireNonNull(id, "id");
        family = family == null ? "" : family;
        aliases = List.copyOf(aliases == null ? List.of() : aliases);
        capabilities = capabilities == null ? Capabilities.TOOLS_ONLY : capabilities;
        reasoningStyle = reasoningStyle == null ? "none" : reasoningStyle;
        fallbacks = List.copyOf(fallbacks == null ? List.of() : fallbacks);
        samplingOverrides = Map.copyOf(samplingOverrides == null ? Map.of() : samplingOverrides);
        if (contextWindow <= 0 || maxOutputTokens <= 0) {
            throw new IllegalArgumentException("model " + id + ": context window and max output must be positive");
        }
    }

    /** A model with conservative defaults, for ids nobody described (128k context, 16k output, tools only). */
    public static ModelInfo unknown(String id) {
        return new ModelInfo(id, "", List.of(), 131_072, 16_384, Capabilities.TOOLS_ONLY, "none", List.of(), Map.of());
    }

    public ModelInfo withAliases(List<String> newAliases) {
        return new ModelInfo(id, family, newAliases, contextWindow, maxOutputTokens, capabilities, reasoningStyle,
                fallbacks, samplingOverrides);
    }

    public ModelInfo withFallbacks(List<String> newFallbacks) {
        return new ModelInfo(id, family, aliases, contextWindow, maxOutputTokens, capabilities, reasoningStyle,
                newFallbacks, samplingOverrides);
    }

    /**
     * What a model can do.
     *
     * @param forcedToolChoice whether the model accepts a forced {@code tool_choice} ({@code "required"} or a named
     *                         function); when false the host sends {@code "auto"} plus a system hint instead
     */
    public record Capabilities(boolean tools, boolean vision, boolean reasoning, boolean pdf,
                               boolean forcedToolChoice) {
        public static final Capabilities TOOLS_ONLY = new Capabilities(true, false, false, false);

        /** Capabilities of a model that accepts forced tool choice (most do). */
        public Capabilities(boolean tools, boolean vision, boolean reasoning, boolean pdf) {
            this(tools, vision, reasoning, pdf, true);
        }
    }
}
