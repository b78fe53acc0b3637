package dev.ncp.host.processors.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scalars typed by the tool's schema — only where the schema says which type. */
class SchemaCoercionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Object> READ = Map.of("type", "object", "properties", Map.of(
            "file_path", Map.of("type", "string"),
            "offset", Map.of("type", "integer"),
            "limit", Map.of("type", "integer"),
            "ratio", Map.of("type", "number"),
            "all", Map.of("type", "boolean"),
            "either", Map.of("type", java.util.List.of("string", "integer")),
            "maybe", Map.of("anyOf", java.util.List.of(Map.of("type", "integer"), Map.of("type", "null"))),
            "lines", Map.of("type", "array", "items", Map.of("type", "integer")),
            "options", Map.of("type", "object", "properties", Map.of("depth", Map.of("type", "integer")))));

    private final SchemaCoercion coercion = new SchemaCoercion();

    @Test
    void stringsBecomeTheScalarTheSchemaSays() {
        assertCoerced("{\"file_path\": \"/a\", \"offset\": \"300\", \"limit\": \" 25 \"}",
                "{\"file_path\": \"/a\", \"offset\": 300, \"limit\": 25}", 2);
        assertCoerced("{\"ratio\": \"0.5\", \"all\": \"true\"}", "{\"ratio\": 0.5, \"all\": true}", 2);
        assertCoerced("{\"all\": \"False\", \"maybe\": \"7\"}", "{\"all\": false, \"maybe\": 7}", 2);
        assertCoerced("{\"offset\": \"12345678901234567890\"}", "{\"offset\": 12345678901234567890}", 1);
    }

    @Test
    void nestedValuesAreTypedAsFarAsTheSchemaDescribesThem() {
        assertCoerced("{\"lines\": [\"1\", 2, \"3\"], \"options\": {\"depth\": \"4\", \"other\": \"5\"}}",
                "{\"lines\": [1, 2, 3], \"options\": {\"depth\": 4, \"other\": \"5\"}}", 3);
    }

    @Test
    void valuesTheSchemaAllowsAsStringsOrDoesNotDescribeAreLeftAlone() {
        assertCoerced("{\"file_path\": \"300\", \"either\": \"300\", \"unknown\": \"300\"}",
                "{\"file_path\": \"300\", \"either\": \"300\", \"unknown\": \"300\"}", 0);
    }

    @Test
    void stringsThatDoNotReadAsTheTypeAreLeftAlone() {
        assertCoerced("{\"offset\": \"three hundred\", \"limit\": \"2.5\", \"all\": \"yes\"}",
                "{\"offset\": \"three hundred\", \"limit\": \"2.5\", \"all\": \"yes\"}", 0);
    }

    @Test
    void withoutASchemaNothingChanges() {
        ObjectNode input = object("{\"offset\": \"300\"}");
        assertEquals(0, coercion.coerce(input, null));
        assertEquals(object("{\"offset\": \"300\"}"), input);
    }

    private void assertCoerced(String input, String expected, int changes) {
        ObjectNode node = object(input);
        assertEquals(changes, coercion.coerce(node, READ), input);
        assertEquals(JSON.valueToTree(object(expected)).toString(), node.toString(), input);
    }

    private static ObjectNode object(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
