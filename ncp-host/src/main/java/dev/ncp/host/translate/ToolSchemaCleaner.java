package dev.ncp.host.translate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cleans a tool's JSON schema for OpenAI-compatible upstreams (vLLM/NIM use it for tool parsing and, with
 * {@code tool_choice} required or named, for guided decoding, whose grammar compilers reject meta keywords):
 * <ul>
 *   <li>drops meta keywords ({@code $schema}, {@code $id}, {@code $comment}, {@code $anchor}, {@code $vocabulary})
 *       and annotations upstreams choke on ({@code readOnly}, {@code writeOnly}, {@code examples});</li>
 *   <li>resolves local {@code $ref}s ({@code #/$defs/X}, {@code #/definitions/X}, {@code #}) by inlining, then drops
 *       {@code $defs}; a recursive or non-local reference becomes {@code {}} (any value), which loses a constraint
 *       but never rejects a valid call;</li>
 *   <li>makes the root {@code {"type":"object","properties":{...}}} when either is missing (the validator has
 *       already rejected a non-object root, as Anthropic does).</li>
 * </ul>
 * Keywords are only recognised where a schema stands, so a property named {@code examples} survives. The input is
 * never modified.
 */
public final class ToolSchemaCleaner {

    private static final Set<String> DROPPED = Set.of("$schema", "$id", "$comment", "$anchor", "$vocabulary",
            "readOnly", "writeOnly", "examples", "$defs", "definitions");
    /** Keywords whose value is a map of names to schemas. */
    private static final Set<String> NAMED_SCHEMAS = Set.of("properties", "patternProperties", "dependentSchemas");
    /** Keywords whose value is one schema (or, for items, possibly a list of schemas). */
    private static final Set<String> ONE_SCHEMA = Set.of("items", "additionalProperties", "additionalItems", "not",
            "if", "then", "else", "contains", "propertyNames", "unevaluatedProperties", "unevaluatedItems");
    private static final Set<String> SCHEMA_LISTS = Set.of("anyOf", "oneOf", "allOf", "prefixItems", "items");
    private static final int MAX_DEPTH = 48;

    /** The cleaned copy of a tool's {@code input_schema}. */
    public Map<String, Object> clean(Map<String, Object> schema) {
        var walk = new Walk(schema);
        Map<String, Object> root = walk.schema(schema, 0);
        root.putIfAbsent("type", "object");
        root.putIfAbsent("properties", Map.of());
        return root;
    }

    /** One cleaning pass; knows the root (for {@code #} refs) and which refs are being expanded. */
    private static final class Walk {
        private final Map<String, Object> root;
        private final Deque<String> expanding = new ArrayDeque<>();

        Walk(Map<String, Object> root) {
            this.root = root;
        }

        Map<String, Object> schema(Map<?, ?> source, int depth) {
            if (depth > MAX_DEPTH) {
                return new LinkedHashMap<>();
            }
            Object ref = source.get("$ref");
            Map<String, Object> out = ref instanceof String r ? inline(r, depth) : new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : source.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (!DROPPED.contains(key) && !key.equals("$ref")) {
                    out.put(key, value(key, e.getValue(), depth));
                }
            }
            return out;
        }

        private Object value(String key, Object value, int depth) {
            if (NAMED_SCHEMAS.contains(key) && value instanceof Map<?, ?> named) {
                var out = new LinkedHashMap<String, Object>();
                named.forEach((name, s) -> out.put(String.valueOf(name), anySchema(s, depth + 1)));
                return out;
            }
            if (SCHEMA_LISTS.contains(key) && value instanceof List<?> list) {
                var out = new ArrayList<Object>(list.size());
                list.forEach(s -> out.add(anySchema(s, depth + 1)));
                return out;
            }
            return ONE_SCHEMA.contains(key) ? anySchema(value, depth + 1) : value;
        }

        private Object anySchema(Object value, int depth) {
            return value instanceof Map<?, ?> m ? schema(m, depth) : value; // booleans are valid schemas too
        }

        private Map<String, Object> inline(String ref, int depth) {
            Map<?, ?> target = resolve(ref);
            if (target == null || expanding.contains(ref)) {
                return new LinkedHashMap<>();
            }
            expanding.push(ref);
            try {
                return schema(target, depth + 1);
            } finally {
                expanding.pop();
            }
        }

        private Map<?, ?> resolve(String ref) {
            if (ref.equals("#")) {
                return root;
            }
            for (String prefix : List.of("#/$defs/", "#/definitions/")) {
                if (ref.startsWith(prefix) && root.get(prefix.substring(2, prefix.length() - 1)) instanceof Map<?, ?> defs
                        && defs.get(ref.substring(prefix.length())) instanceof Map<?, ?> def) {
                    return def;
                }
            }
            return null;
        }
    }
}
