package dev.ncp.plugin.toolcall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonTextTest {

    @Test
    void quotingEscapesWhatJsonRequires() {
        assertEquals("\"a\\\"b\\\\c\\nd\\te\\u0001 <é>\"", JsonText.quote("a\"b\\c\nd\te\u0001 <é>"));
    }

    @Test
    void wellFormedValuesAreRecognized() {
        for (String ok : List.of("{}", " [] ", "{\"a\": [1, -2.5e3, true, false, null, \"x\\u00e9\"]}", "0", "\"\"")) {
            assertTrue(JsonText.isValue(ok), ok);
        }
        for (String bad : List.of("", "{", "{a:1}", "[1,]", "01", "1.", "'x'", "{\"a\":1}}", "tru", "\"\n\"",
                "[".repeat(300) + "]".repeat(300))) {
            assertFalse(JsonText.isValue(bad), bad);
        }
    }

    @Test
    void membersAndElementsKeepEachValuesExactText() {
        assertEquals(java.util.Map.of("name", "\"Read\"", "arguments", "{\"a\": [1, {\"b\": null}]}"),
                JsonText.members(" {\"name\": \"Read\", \"arguments\": {\"a\": [1, {\"b\": null}]}, \"name\": 2} "));
        assertEquals(List.of("{\"x\": 1}", "\"s\"", "[]"), JsonText.elements("[{\"x\": 1}, \"s\", []]"));
        assertEquals(null, JsonText.members("{\"a\": 1,}"));
        assertEquals(null, JsonText.members("[1]"));
        assertEquals(null, JsonText.elements("[1] 2"));
        assertEquals("a\"b\\c\n\u00e9/", JsonText.unquote("\"a\\\"b\\\\c\\n\\u00e9\\/\""));
    }

    @Test
    void parameterValuesFollowTheirTypes() {
        assertEquals("5", ParameterValues.toJson("+5", Set.of("integer")));
        assertEquals("7", ParameterValues.toJson("007", Set.of("integer")));
        assertEquals("0.5", ParameterValues.toJson(".5", Set.of("number")));
        assertEquals("\"NaN\"", ParameterValues.toJson("NaN", Set.of("number")));
        assertEquals("false", ParameterValues.toJson(" FALSE ", Set.of("boolean")));
        assertEquals("\"yes\"", ParameterValues.toJson("yes", Set.of("boolean")));
        assertEquals("\"[1, 2\"", ParameterValues.toJson("[1, 2", Set.of("array")));
        assertEquals("\"{}\"", ParameterValues.toJson("{}", Set.of("array")));
        assertEquals("\" 12 \"", ParameterValues.toJson(" 12 ", Set.of("string", "integer")));
        assertEquals("\" 12 \"", ParameterValues.toJson(" 12 ", Set.of()));
    }

    @Test
    void schemaTypesAreFoundInTypeListsAndCombinators() {
        var tools = new ToolCatalog(java.util.Map.of("T", java.util.Map.of("properties", java.util.Map.of(
                "a", java.util.Map.of("anyOf", List.of(java.util.Map.of("type", "integer"),
                        java.util.Map.of("type", "null"))),
                "b", java.util.Map.of("enum", List.of("x", "y")),
                "c", java.util.Map.of("items", java.util.Map.of())))));
        assertEquals(Set.of("integer", "null"), tools.parameterTypes("T", "a"));
        assertEquals(Set.of("string"), tools.parameterTypes("T", "b"));
        assertEquals(Set.of("array"), tools.parameterTypes("T", "c"));
        assertEquals(Set.of(), tools.parameterTypes("T", "missing"));
        assertEquals(Set.of(), tools.parameterTypes("Missing", "a"));
    }
}
