package dev.ncp.plugin.toolcall;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tools of one request, by the (upstream) name the model calls them, with their JSON schemas — what
 * {@code ShapingContext.tools()} holds. Only calls to these tools are recovered: anything else the model writes in
 * the same syntax stays text.
 */
final class ToolCatalog {

    private final Map<String, Map<String, Object>> schemas;

    ToolCatalog(Map<String, Map<String, Object>> schemas) {
        this.schemas = Map.copyOf(schemas);
    }

    boolean isEmpty() {
        return schemas.isEmpty();
    }

    boolean declares(String tool) {
        return schemas.containsKey(tool);
    }

    /**
     * The JSON types the schema of {@code tool} allows for {@code parameter} ({@code "string"}, {@code "integer"},
     * {@code "number"}, {@code "boolean"}, {@code "array"}, {@code "object"}, {@code "null"}); empty when the
     * schema does not say (then the value is kept as a string).
     */
    Set<String> parameterTypes(String tool, String parameter) {
        Map<String, Object> schema = schemas.get(tool);
        Object properties = schema == null ? null : schema.get("properties");
        Object property = properties instanceof Map<?, ?> p ? p.get(parameter) : null;
        var types = new TreeSet<String>();
        collectTypes(property, types, 0);
        return types;
    }

    private static void collectTypes(Object schema, Set<String> types, int depth) {
        if (!(schema instanceof Map<?, ?> s) || depth > 8) {
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
                        options.forEach(option -> collectTypes(option, types, depth + 1));
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
