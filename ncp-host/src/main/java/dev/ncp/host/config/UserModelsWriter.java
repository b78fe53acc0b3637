package dev.ncp.host.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.model.ModelInfo;
import java.util.List;
import java.util.Map;

/**
 * Writes registry entries in the user models file format ({@link UserModelsFile} reads it back). Comments are the
 * point of writing it by hand: they say where the file came from and which entries are guesses. Values are written
 * as JSON scalars, lists and maps, which YAML reads as they are.
 */
public final class UserModelsWriter {

    /** The comment above every entry ncp knows nothing about. */
    public static final String UNKNOWN_COMMENT = "# unknown: conservative defaults, check the model card";

    /** One entry to write, and whether ncp described it (else it carries conservative defaults). */
    public record Entry(ModelInfo model, boolean known) {
    }

    private final ObjectMapper json = new ObjectMapper();

    public String render(String source, List<Entry> entries, Map<ClaudeFamily, String> familyTargets) {
        long unknown = entries.stream().filter(e -> !e.known()).count();
        var out = new StringBuilder();
        out.append("# ncp model registry, written by `ncp models-refresh` from ").append(source).append('\n');
        out.append("# ").append(entries.size()).append(" models: ").append(entries.size() - unknown)
                .append(" described by ncp, ").append(unknown).append(" unknown (conservative defaults).\n");
        out.append("# Use it as ~/.ncp/models.yaml or point NCP_MODELS_FILE at it. Each entry overrides ncp's own entry")
                .append(" for its id, field by field;\n# delete the fields (or entries) you do not want to pin.\n#\n");
        out.append("# Where Claude model names go (uncomment to change):\n# claude:\n");
        for (ClaudeFamily f : ClaudeFamily.values()) {
            out.append("#   ").append(f.label()).append(": ").append(familyTargets.get(f)).append('\n');
        }
        out.append("\nmodels:\n");
        for (Entry e : entries) {
            if (!e.known()) {
                out.append("  ").append(UNKNOWN_COMMENT).append('\n');
            }
            entry(e.model(), out);
        }
        return out.toString();
    }

    private void entry(ModelInfo m, StringBuilder out) {
        out.append("  - id: ").append(value(m.id())).append('\n');
        if (!m.family().isEmpty()) {
            field(out, "family", m.family());
        }
        if (!m.aliases().isEmpty()) {
            field(out, "aliases", m.aliases());
        }
        field(out, "context_window", m.contextWindow());
        field(out, "max_output_tokens", m.maxOutputTokens());
        field(out, "tools", m.capabilities().tools());
        field(out, "vision", m.capabilities().vision());
        field(out, "reasoning", m.capabilities().reasoning());
        field(out, "pdf", m.capabilities().pdf());
        field(out, "forced_tool_choice", m.capabilities().forcedToolChoice());
        field(out, "reasoning_style", m.reasoningStyle());
        if (!m.fallbacks().isEmpty()) {
            field(out, "fallbacks", m.fallbacks());
        }
        if (!m.samplingOverrides().isEmpty()) {
            // A flow mapping with a space after each colon: YAML 1.1 readers need it even after a quoted key.
            var pairs = new java.util.StringJoiner(", ", "{", "}");
            new java.util.TreeMap<>(m.samplingOverrides()).forEach((k, v) -> pairs.add(value(k) + ": " + value(v)));
            out.append("    sampling: ").append(pairs).append('\n');
        }
    }

    private void field(StringBuilder out, String name, Object v) {
        out.append("    ").append(name).append(": ").append(value(v)).append('\n');
    }

    private String value(Object v) {
        try {
            return json.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + v, e);
        }
    }
}
