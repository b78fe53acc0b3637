package dev.ncp.plugin.toolcall;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How this library reads a tool's JSON schema: the JSON types a (sub)schema allows. Public so that the host's tool
 * guard types a model's arguments by the same reading as the text-call recovery.
 */
public final class SchemaTypes {

    /** Combinators nested deeper than this are not followed. */
    private static final int MAX_DEPTH = 8;

    private SchemaTypes() {
    }

    /**
     * The JSON types {@code schema} allows ({@code "string"}, {@code "integer"}, {@code "number"}, {@code "boolean"},
     * {@code "array"}, {@code "object"}, {@code "null"}), following {@code anyOf}/{@code oneOf}/{@code allOf}; empty
     * when the schema does not say.
     */
    public static Set<String> of(Object schema) {
        var types = new TreeSet<String>();
        collect(schema, types, 0);
        return types;
    }

    /** The schema of property {@code name} of an object schema, or null when it does not describe one. */
    public static Object property(Object schema, String name) {
        Object properties = schema instanceof Map<?, ?> s ? s.get("properties") : null;
        return properties instanceof Map<?, ?> p ? p.get(name) : null;
    }

    /** The schema of an array schema's items, or null. */
    public static Object items(Object schema) {
        return schema instanceof Map<?, ?> s ? s.get("items") : null;
    }

    private static void collect(Object schema, Set<String> types, int depth) {
        if (!(schema instanceof Map<?, ?> s) || depth > MAX_DEPTH) {
            return;
        }
        switch (s.get("type")) {
            case String t -> types.add(t);
            case List<?> list -> list.forEach(t -> {
                if (t instanceof String name) {
                    types.add(name);
                }
            });
            case null, default -> {
                for (String combinator : List.of("anyOf", "oneOf", "allOf")) {
                    if (s.get(combinator) instanceof List<?> options) {
                        options.forEach(option -> collect(option, types, depth + 1));
                    }
                }
                if (types.isEmpty() && s.get("enum") instanceof List<?> values && !values.isEmpty()
                        && values.stream().allMatch(v -> v instanceof String)) {
                    types.add("string");
                }
                if (types.isEmpty() && s.containsKey("properties")) {
                    types.add("object");
                }
                if (types.isEmpty() && s.containsKey("items")) {
                    types.add("array");
                }
            }
        }
    }
}
