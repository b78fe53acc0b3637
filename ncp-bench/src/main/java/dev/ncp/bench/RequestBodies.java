package dev.ncp.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.host.anthropic.Fixtures;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;

/**
 * The request bodies the translation benchmarks read: recorded Claude Code requests from ncp-host's fixtures, and
 * a synthetic one padded with agent history.
 */
public final class RequestBodies {

    /** The biggest recorded Claude Code request: 28k-character system prompt, 12 tools, one long user turn. */
    static final String CLAUDE_CODE_FIXTURE = "sonnet-thinking-enabled--001-POST-v1-messages.json";
    /** A recorded Claude Code tool round trip, the base of the synthetic history. */
    static final String TOOL_ROUND_TRIP_FIXTURE = "tool-round-trip--002-POST-v1-messages.json";
    static final int SYNTHETIC_BYTES = 100 * 1024;

    /** What Claude Code's opus requests go to by default; a tools-capable, non-reasoning model. */
    static final ModelInfo MODEL = new ModelInfo("qwen/qwen3-coder-480b-a35b-instruct", "qwen3-coder", List.of(),
            262_144, 65_536, ModelInfo.Capabilities.TOOLS_ONLY, "none", List.of(), Map.of());

    /** Strings at least this long get a fresh prefix in {@link #withFreshTexts}: shorter ones are never cached. */
    private static final int FRESH_MIN_CHARS = 64;

    private RequestBodies() {
    }

    /** The request body (JSON tree) for a benchmark parameter value. */
    public static ObjectNode tree(String name, ObjectMapper json) {
        return switch (name) {
            case "claudeCode" -> (ObjectNode) Fixtures.bodyTree(CLAUDE_CODE_FIXTURE);
            case "synthetic100k" -> new SyntheticHistory(json)
                    .padded((ObjectNode) Fixtures.bodyTree(TOOL_ROUND_TRIP_FIXTURE), SYNTHETIC_BYTES);
            default -> throw new IllegalArgumentException("no request body named " + name);
        };
    }

    public static byte[] bytes(JsonNode tree, ObjectMapper json) {
        try {
            return json.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A copy of {@code body} whose system prompt, messages and tools carry texts never seen before: every string of
     * 64 characters or more gets the prefix {@code [nonce] }. The token estimator caches the counts of large texts
     * (an agent resends the same system prompt and tools every turn); this defeats that cache, as the first request
     * of a session (or the first after a restart) does.
     */
    static ObjectNode withFreshTexts(ObjectNode body, int nonce) {
        ObjectNode copy = body.deepCopy();
        String prefix = "[" + nonce + "] ";
        for (String field : List.of("system", "messages", "tools")) {
            JsonNode node = copy.get(field);
            if (node != null) {
                copy.set(field, prefixed(node, prefix));
            }
        }
        return copy;
    }

    private static JsonNode prefixed(JsonNode node, String prefix) {
        if (node.isTextual()) {
            return node.textValue().length() >= FRESH_MIN_CHARS ? TextNode.valueOf(prefix + node.textValue()) : node;
        }
        if (node instanceof ObjectNode object) {
            for (var it = object.fields(); it.hasNext(); ) {
                Entry<String, JsonNode> field = it.next();
                field.setValue(prefixed(field.getValue(), prefix));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, prefixed(array.get(i), prefix));
            }
        }
        return node;
    }
}
