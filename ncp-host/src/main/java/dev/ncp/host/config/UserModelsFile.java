package dev.ncp.host.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the user's model registry: {@code ~/.ncp/models.yaml}, {@code NCP_MODELS_FILE}, or the {@code models:} and
 * {@code claude:} sections of the config file. The format (docs/configuration.md has an example):
 * <pre>
 * models:
 *   - id: qwen/qwen3-coder-480b-a35b-instruct   # required; every other field is optional
 *     family: qwen3-coder
 *     aliases: [coder]
 *     context_window: 262144
 *     max_output_tokens: 32768
 *     tools: true
 *     vision: false
 *     reasoning: true
 *     pdf: false
 *     forced_tool_choice: true
 *     reasoning_style: qwen-kwargs
 *     fallbacks: [meta/llama-4-maverick-17b-128e-instruct]
 *     sampling: {temperature: 0.7, top_p: 0.8}
 * claude:
 *   opus: qwen/qwen3-coder-480b-a35b-instruct
 *   sonnet: claude-qwen3
 *   haiku: nvidia/nemotron-3-nano-30b-a3b
 * upstreams:                                    # named upstreams; a model lists its deployments on them
 *   nim-a: {base_url: "http://10.0.0.5:8000/v1", api_key_env: NIM_A_KEY}
 * </pre>
 * A model entry's {@code upstreams: [nim-a, nim-b]} makes those its deployments ({@link UpstreamsSection}).
 * Anything else — an unknown key (a typo), a wrong type, a duplicate id — stops startup with one line naming the
 * file, the entry and the field, because a silently ignored registry entry sends requests to the wrong model.
 */
public final class UserModelsFile {

    static final List<String> MODEL_FIELDS = List.of("id", "family", "aliases", "context_window", "max_output_tokens",
            "tools", "vision", "reasoning", "pdf", "forced_tool_choice", "reasoning_style", "fallbacks", "sampling",
            "upstreams");
    private static final Set<String> FILE_SECTIONS = Set.of("models", "claude", "upstreams");

    private UserModelsFile() {
    }

    /** Reads a models file; every key of it must be {@code models}, {@code claude} or {@code upstreams}. */
    public static UserModels read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            String why = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new ConfigException(file + ": cannot read the models file: " + why
                    + ". Fix the YAML (docs/configuration.md shows the format).", e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return UserModels.NONE;
        }
        if (!root.isObject()) {
            throw new ConfigException(file + ": expected a mapping with 'models:' and/or 'claude:' at the top.");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!FILE_SECTIONS.contains(key)) {
                throw new ConfigException(file + ": unknown section '" + key + "'; a models file has 'models:' "
                        + "(a list of entries), 'claude:' (opus/sonnet/haiku targets) and 'upstreams:' (named"
                        + " upstreams).");
            }
        }
        return sections(root, file.toString());
    }

    /**
     * The {@code models:}, {@code claude:} and {@code upstreams:} sections of a parsed YAML document; other keys are
     * not looked at.
     */
    public static UserModels sections(JsonNode root, String source) {
        var deployments = new LinkedHashMap<String, List<String>>();
        List<UserModelEntry> entries = entries(root.get("models"), source, deployments);
        return new UserModels(entries, familyTargets(root.get("claude"), source),
                UpstreamsSection.read(root.get("upstreams"), source), deployments);
    }

    private static List<UserModelEntry> entries(JsonNode models, String source,
                                                Map<String, List<String>> deployments) {
        if (models == null || models.isNull()) {
            return List.of();
        }
        if (!models.isArray()) {
            throw new ConfigException(source + ": models: expected a list of entries (each starting with '- id:').");
        }
        var out = new ArrayList<UserModelEntry>();
        var seen = new HashMap<String, Integer>();
        for (int i = 0; i < models.size(); i++) {
            var reader = new EntryReader(source, i, models.get(i));
            UserModelEntry entry = reader.read();
            List<String> upstreams = reader.names("upstreams");
            if (upstreams != null) {
                if (upstreams.isEmpty()) {
                    throw reader.fail("upstreams", "expected at least one upstream name, or no 'upstreams:' for the"
                            + " default upstream");
                }
                deployments.put(entry.id(), upstreams);
            }
            Integer before = seen.putIfAbsent(entry.id(), i);
            if (before != null) {
                throw new ConfigException(source + ": models[" + i + "] (" + entry.id() + "): id: already described"
                        + " by models[" + before + "]; merge the two entries.");
            }
            out.add(entry);
        }
        return out;
    }

    private static Map<ClaudeFamily, String> familyTargets(JsonNode claude, String source) {
        if (claude == null || claude.isNull()) {
            return Map.of();
        }
        if (!claude.isObject()) {
            throw new ConfigException(source + ": claude: expected a mapping such as {opus: MODEL, sonnet: MODEL,"
                    + " haiku: MODEL}.");
        }
        var out = new EnumMap<ClaudeFamily, String>(ClaudeFamily.class);
        for (Iterator<Map.Entry<String, JsonNode>> it = claude.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            ClaudeFamily family = switch (f.getKey().toLowerCase(Locale.ROOT)) {
                case "opus" -> ClaudeFamily.OPUS;
                case "sonnet" -> ClaudeFamily.SONNET;
                case "haiku" -> ClaudeFamily.HAIKU;
                default -> throw new ConfigException(source + ": claude." + f.getKey() + ": unknown family; use"
                        + " opus, sonnet or haiku.");
            };
            JsonNode v = f.getValue();
            if (!v.isTextual() || v.asText().isBlank()) {
                throw new ConfigException(source + ": claude." + f.getKey() + ": expected a model name (an alias"
                        + " or a NIM id such as qwen/qwen3-coder-480b-a35b-instruct), got " + v);
            }
            out.put(family, v.asText().strip());
        }
        return out;
    }

    /** Reads one entry, each failure naming {@code source: models[i] (id): field}. */
    private record EntryReader(String source, int index, JsonNode node) {

        UserModelEntry read() {
            if (node == null || !node.isObject()) {
                throw fail(null, "expected a mapping with at least 'id:', got " + node);
            }
            JsonNode idNode = node.get("id");
            if (idNode == null || !idNode.isTextual() || idNode.asText().isBlank()) {
                throw fail("id", "required: the upstream model id, e.g. qwen/qwen3-coder-480b-a35b-instruct");
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!MODEL_FIELDS.contains(key)) {
                    throw fail(key, "unknown field; known fields: " + String.join(", ", MODEL_FIELDS));
                }
            }
            return new UserModelEntry(idNode.asText().strip(), text("family"), names("aliases"),
                    positive("context_window"), positive("max_output_tokens"), bool("tools"), bool("vision"),
                    bool("reasoning"), bool("pdf"), bool("forced_tool_choice"), text("reasoning_style"),
                    names("fallbacks"), sampling());
        }

        private String text(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isTextual()) {
                throw fail(field, "expected text, got " + v);
            }
            return v.asText().strip();
        }

        private Integer positive(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() <= 0) {
                throw fail(field, "expected a whole number above 0, got " + v);
            }
            return v.asInt();
        }

        private Boolean bool(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isBoolean()) {
                throw fail(field, "expected true or false, got " + v);
            }
            return v.asBoolean();
        }

        private List<String> names(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isArray()) {
                throw fail(field, "expected a list of model names such as [a, b], got " + v);
            }
            var out = new ArrayList<String>();
            for (JsonNode n : v) {
                if (!n.isTextual() || n.asText().isBlank()) {
                    throw fail(field, "expected model names (text), got " + n);
                }
                out.add(n.asText().strip());
            }
            return out;
        }

        private Map<String, Object> sampling() {
            JsonNode v = node.get("sampling");
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isObject()) {
                throw fail("sampling", "expected a mapping such as {temperature: 0.6}, got " + v);
            }
            var out = new LinkedHashMap<String, Object>();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                JsonNode x = f.getValue();
                Object value = x.isNumber() ? x.numberValue() : x.isBoolean() ? x.asBoolean()
                        : x.isTextual() ? x.asText() : null;
                if (value == null) {
                    throw fail("sampling." + f.getKey(), "expected a number, true/false or text, got " + x);
                }
                if (Set.of("temperature", "top_p", "top_k").contains(f.getKey()) && !x.isNumber()) {
                    throw fail("sampling." + f.getKey(), "expected a number, got " + x);
                }
                out.put(f.getKey(), value);
            }
            return out;
        }

        private ConfigException fail(String field, String why) {
            JsonNode id = node == null ? null : node.get("id");
            String entry = "models[" + index + "]" + (id != null && id.isTextual() ? " (" + id.asText() + ")" : "");
            return new ConfigException(source + ": " + entry + (field == null ? "" : ": " + field) + ": " + why);
        }
    }
}
