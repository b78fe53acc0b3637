package dev.ncp.host.config;

import dev.ncp.api.model.ModelInfo.Capabilities;
import dev.ncp.api.model.ModelInfo;
import java.util.List;
import java.util.Map;

/**
 * One {@code models:} entry of the user's models file: the fields it sets, null for those it leaves alone. Applied
 * over the entry the host or a plugin already has for the id (field by field), or over conservative defaults for a
 * new id — so {@code {id: x, context_window: 262144}} changes one number and keeps everything else.
 */
public record UserModelEntry(
        String id,
        String family,
        List<String> aliases,
        Integer contextWindow,
        Integer maxOutputTokens,
        Boolean tools,
        Boolean vision,
        Boolean reasoning,
        Boolean pdf,
        Boolean forcedToolChoice,
        String reasoningStyle,
        List<String> fallbacks,
        Map<String, Object> sampling) {

    /** This entry over {@code base} (the existing entry for the id, or {@link ModelInfo#unknown}). */
    public ModelInfo applyTo(ModelInfo base) {
        Capabilities c = base.capabilities();
        var caps = new Capabilities(or(tools, c.tools()), or(vision, c.vision()), or(reasoning, c.reasoning()),
                or(pdf, c.pdf()), or(forcedToolChoice, c.forcedToolChoice()));
        return new ModelInfo(id, or(family, base.family()), or(aliases, base.aliases()),
                or(contextWindow, base.contextWindow()), or(maxOutputTokens, base.maxOutputTokens()), caps,
                or(reasoningStyle, base.reasoningStyle()), or(fallbacks, base.fallbacks()),
                or(sampling, base.samplingOverrides()));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
