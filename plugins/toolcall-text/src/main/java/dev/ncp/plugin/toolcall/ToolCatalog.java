package dev.ncp.plugin.toolcall;

import java.util.Map;
import java.util.Set;

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
     * The declared tool {@code name} means: itself, or the one declared tool it names with another case or with
     * {@code -} for {@code _} ({@link DeclaredToolNames}); null when none.
     */
    String resolve(String name) {
        return DeclaredToolNames.match(name, schemas.keySet()).orElse(null);
    }

    /**
     * The JSON types the schema of {@code tool} allows for {@code parameter} ({@code "string"}, {@code "integer"},
     * {@code "number"}, {@code "boolean"}, {@code "array"}, {@code "object"}, {@code "null"}); empty when the
     * schema does not say (then the value is kept as a string).
     */
    Set<String> parameterTypes(String tool, String parameter) {
        return SchemaTypes.of(SchemaTypes.property(schemas.get(tool), parameter));
    }
}
