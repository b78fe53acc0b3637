package dev.ncp.host.translate;

import static dev.ncp.host.translate.Translation.TEXT_MODEL;
import static dev.ncp.host.translate.Translation.translate;
import static dev.ncp.host.translate.Translation.wire;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.host.error.ApiError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolTranslationTest {

    private static final String WEATHER = "{\"name\":\"get_weather\",\"description\":\"Weather\",\"input_schema\":"
            + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}";

    private static JsonNode wireWith(String toolsAndChoice) {
        return wire(translate("{\"model\":\"m\",\"max_tokens\":100," + toolsAndChoice + ",\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"hi\"}]}", TEXT_MODEL));
    }

    private static JsonNode tree(String json) {
        try {
            return dev.ncp.host.anthropic.Fixtures.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void customToolBecomesAFunctionTool() {
        JsonNode wire = wireWith("\"tools\":[" + WEATHER + "]");
        assertEquals("[{\"function\":{\"name\":\"get_weather\",\"description\":\"Weather\",\"parameters\":{\"type\":"
                + "\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}},\"type\":"
                + "\"function\"}]", wire.get("tools").toString());
        assertNull(wire.get("tool_choice"));
    }

    @Test
    void schemaLosesMetaKeywordsButKeepsPropertiesNamedLikeThem() {
        JsonNode params = wireWith("\"tools\":[{\"name\":\"t\",\"input_schema\":{\"$schema\":\"http://json-schema.org/"
                + "draft-07/schema#\",\"$id\":\"x\",\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
                + "\"examples\":{\"type\":\"string\",\"examples\":[\"a\"],\"$comment\":\"c\"},\"n\":{\"type\":"
                + "\"integer\",\"readOnly\":true}}}}]").get("tools").get(0).get("function").get("parameters");
        assertEquals("{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"examples\":{\"type\":"
                + "\"string\"},\"n\":{\"type\":\"integer\"}}}", params.toString());
    }

    @Test
    void localRefsAreInlinedAndRecursiveOnesBecomeAnyValue() {
        var cleaner = new ToolSchemaCleaner();
        Map<String, Object> schema = Map.of("type", "object",
                "$defs", Map.of("Point", Map.of("type", "object", "properties", Map.of("x", Map.of("type", "number"))),
                        "Node", Map.of("type", "object", "properties", Map.of("next", Map.of("$ref", "#/$defs/Node")))),
                "properties", Map.of("at", Map.of("$ref", "#/$defs/Point", "description", "where"),
                        "list", Map.of("$ref", "#/$defs/Node"), "remote", Map.of("$ref", "https://x/s.json")));
        Map<String, Object> cleaned = cleaner.clean(schema);
        @SuppressWarnings("unchecked")
        var props = (Map<String, Map<String, Object>>) cleaned.get("properties");
        assertFalse(cleaned.containsKey("$defs"));
        assertEquals("number", ((Map<?, ?>) ((Map<?, ?>) props.get("at").get("properties")).get("x")).get("type"));
        assertEquals("where", props.get("at").get("description"));
        assertEquals(Map.of(), ((Map<?, ?>) props.get("list").get("properties")).get("next"));
        assertEquals(Map.of(), props.get("remote"));
    }

    @Test
    void rootWithoutTypeOrPropertiesIsCompleted() {
        assertEquals(Map.of("type", "object", "properties", Map.of()), new ToolSchemaCleaner().clean(Map.of()));
    }

    @Test
    void longToolNamesAreShortenedReversiblyAndCollisionsDisambiguated() {
        String longA = "mcp__claude_ai_Gmail__search_threads_with_a_really_long_descriptive_suffix_a";
        String longB = "mcp__claude_ai_Gmail__search_threads_with_a_really_long_descriptive_suffix_b";
        ToolNames names = ToolNames.assign(List.of(longA, longB, "tool", "tool_"), new ToolNameSanitizer());
        assertEquals(4, names.asMap().size());
        names.asMap().keySet().forEach(n -> assertTrue(n.matches("^[a-zA-Z0-9_-]{1,64}$"), n));
        assertEquals(longA, names.restore(names.upstream(longA)));
        assertEquals(longB, names.restore(names.upstream(longB)));
        assertEquals("tool", names.restore("tool"));
        assertEquals("unknown_tool", names.restore("unknown_tool"));
    }

    @Test
    void sanitizerReplacesDisallowedCharactersAndCollisionsGetANumber() {
        var sanitizer = new ToolNameSanitizer();
        assertEquals("my_tool", sanitizer.sanitize("my tool"));
        assertEquals("tool", sanitizer.sanitize("!!!"));
        ToolNames names = ToolNames.assign(List.of("a.b", "a b"), sanitizer);
        assertEquals(List.of("a_b", "a_b_2"), List.copyOf(names.asMap().keySet()));
    }

    @Test
    void bashToolBecomesAFunctionWithItsKnownSchema() {
        JsonNode tool = wireWith("\"tools\":[{\"type\":\"bash_20250124\",\"name\":\"bash\"}]").get("tools").get(0);
        assertEquals("bash", tool.get("function").get("name").asText());
        assertEquals("{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\",\"description\":\"The bash"
                + " command to run. Required unless restart is true.\"},\"restart\":{\"type\":\"boolean\",\"description\":"
                + "\"Restart the shell instead of running a command.\"}}}", tool.get("function").get("parameters").toString());
    }

    @Test
    void everyClientExecutedAnthropicToolHasADocumentedFunction() {
        JsonNode tools = wireWith("\"tools\":[{\"type\":\"text_editor_20250728\",\"name\":\"str_replace_based_edit_tool\"},"
                + "{\"type\":\"text_editor_20250124\",\"name\":\"str_replace_editor\"},{\"type\":\"computer_20250124\","
                + "\"name\":\"computer\",\"display_width_px\":1024,\"display_height_px\":768},{\"type\":"
                + "\"memory_20250818\"}]").get("tools");
        assertEquals("str_replace_based_edit_tool", tools.get(0).get("function").get("name").asText());
        assertTrue(tools.get(1).toString().contains("undo_edit"));
        assertTrue(tools.get(2).get("function").get("description").asText().endsWith("The screen is 1024x768 pixels."));
        assertEquals("memory", tools.get(3).get("function").get("name").asText());
    }

    @Test
    void serverToolsAreA400SayingNimHasNone() {
        var e = assertThrows(ApiError.class, () -> wireWith("\"tools\":[" + WEATHER + ",{\"type\":"
                + "\"web_search_20250305\",\"name\":\"web_search\",\"max_uses\":5}]"));
        assertEquals("tools.1.type: 'web_search_20250305' is a server tool that Anthropic runs on its own servers;"
                + " NVIDIA NIM has no server-side tools, so ncp cannot offer it. Remove it, or define a custom tool"
                + " your client executes.", e.getMessage());
        for (String type : List.of("web_fetch_20250910", "code_execution_20250825", "tool_search_tool_regex_20251119")) {
            var err = assertThrows(ApiError.class, () -> wireWith("\"tools\":[{\"type\":\"" + type + "\",\"name\":\"x\"}]"));
            assertTrue(err.getMessage().contains("NVIDIA NIM has no server-side tools"), type);
        }
    }

    @Test
    void unknownToolTypeIsA400NamingIt() {
        var e = assertThrows(ApiError.class, () -> wireWith("\"tools\":[{\"type\":\"browser_toolset_20260801\"}]"));
        assertEquals("tools.0.type: tool type 'browser_toolset_20260801' is not supported by ncp; use custom tools"
                + " (type 'custom' or no type) or one of bash_*, text_editor_*, computer_*, memory_*.", e.getMessage());
    }

    @Test
    void toolFieldsWithoutUpstreamMeaningAreIgnored() {
        JsonNode tool = wireWith("\"tools\":[{\"name\":\"Later\",\"defer_loading\":true,\"strict\":true,\"cache_control\":"
                + "{\"type\":\"ephemeral\"},\"input_schema\":{\"type\":\"object\",\"properties\":{}}}]").get("tools").get(0);
        assertEquals("{\"function\":{\"name\":\"Later\",\"parameters\":{\"type\":\"object\",\"properties\":{}}},"
                + "\"type\":\"function\"}", tool.toString());
    }

    @Test
    void toolChoiceMapsToOpenAiModes() {
        assertEquals("\"auto\"", wireWith("\"tools\":[" + WEATHER + "],\"tool_choice\":{\"type\":\"auto\"}")
                .get("tool_choice").toString());
        assertEquals("\"required\"", wireWith("\"tools\":[" + WEATHER + "],\"tool_choice\":{\"type\":\"any\"}")
                .get("tool_choice").toString());
        assertEquals("\"none\"", wireWith("\"tools\":[" + WEATHER + "],\"tool_choice\":{\"type\":\"none\"}")
                .get("tool_choice").toString());
        assertEquals(tree("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}"),
                wireWith("\"tools\":[" + WEATHER + "],\"tool_choice\":{\"type\":\"tool\",\"name\":\"get_weather\"}")
                        .get("tool_choice"));
    }

    private static final ModelInfo NO_FORCED_CHOICE = new ModelInfo("acme/free-chooser", "", List.of(), 131_072,
            16_384, new ModelInfo.Capabilities(true, false, false, false, false), "none", List.of(), Map.of());

    private static JsonNode wireForFreeChooser(String choice) {
        return wire(translate("{\"model\":\"m\",\"max_tokens\":100,\"system\":\"Be brief.\",\"tools\":[" + WEATHER
                + "],\"tool_choice\":" + choice + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                NO_FORCED_CHOICE));
    }

    @Test
    void aNamedToolChoiceBecomesAutoPlusASystemHintForModelsThatRejectForcedChoice() {
        JsonNode wire = wireForFreeChooser("{\"type\":\"tool\",\"name\":\"get_weather\",\"disable_parallel_tool_use\":true}");
        assertEquals("\"auto\"", wire.get("tool_choice").toString());
        assertFalse(wire.get("parallel_tool_calls").asBoolean(true));
        assertEquals("{\"role\":\"system\",\"content\":\"Be brief.\\n\\nYou must call the tool get_weather in your"
                + " next response.\"}", wire.get("messages").get(0).toString());
    }

    @Test
    void anyToolChoiceBecomesAutoPlusASystemHintEvenWithoutASystemPrompt() {
        JsonNode wire = wire(translate("{\"model\":\"m\",\"max_tokens\":100,\"tools\":[" + WEATHER + "],"
                + "\"tool_choice\":{\"type\":\"any\"},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                NO_FORCED_CHOICE));
        assertEquals("\"auto\"", wire.get("tool_choice").toString());
        assertEquals("[{\"role\":\"system\",\"content\":\"You must call one of the tools in your next response; do not"
                + " answer with text alone.\"},{\"role\":\"user\",\"content\":\"hi\"}]", wire.get("messages").toString());
    }

    @Test
    void unforcedChoicesAreUntouchedForModelsThatRejectForcedChoice() {
        JsonNode auto = wireForFreeChooser("{\"type\":\"auto\"}");
        assertEquals("\"auto\"", auto.get("tool_choice").toString());
        assertEquals("Be brief.", auto.get("messages").get(0).get("content").asText());
        assertEquals("\"none\"", wireForFreeChooser("{\"type\":\"none\"}").get("tool_choice").toString());
    }

    @Test
    void disablingParallelToolUseSetsParallelToolCallsFalse() {
        JsonNode wire = wireWith("\"tools\":[" + WEATHER + "],\"tool_choice\":{\"type\":\"auto\","
                + "\"disable_parallel_tool_use\":true}");
        assertFalse(wire.get("parallel_tool_calls").asBoolean(true));
    }

    @Test
    void toolChoiceWithoutToolsIsNotSent() {
        JsonNode wire = wireWith("\"tool_choice\":{\"type\":\"any\",\"disable_parallel_tool_use\":true}");
        assertNull(wire.get("tool_choice"));
        assertNull(wire.get("parallel_tool_calls"));
        assertNull(wire.get("tools"));
    }

    @Test
    void toolChoiceNamingAnUndeclaredToolIsRejected() {
        var e = assertThrows(ApiError.class, () -> wireWith("\"tools\":[" + WEATHER + "],\"tool_choice\":{\"type\":"
                + "\"tool\",\"name\":\"nope\"}"));
        assertEquals("tool_choice.name: 'nope' is not one of the request's tools; name a tool from tools, or use"
                + " tool_choice type 'any'", e.getMessage());
    }

    @Test
    void toolsForAModelWithoutToolSupportAreRejected() {
        var noTools = new ModelInfo("x/chat-only", "", List.of(), 8192, 1024,
                new ModelInfo.Capabilities(false, false, false, false), "none", List.of(), Map.of());
        var e = assertThrows(ApiError.class, () -> translate("{\"model\":\"m\",\"tools\":[" + WEATHER + "],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", noTools));
        assertEquals("tools: x/chat-only does not support tool calling; use a model with tool support, or send the"
                + " request without tools", e.getMessage());
    }

    @Test
    void shapingContextCarriesToolSchemasByUpstreamName() {
        TranslatedRequest t = translate("{\"model\":\"m\",\"tools\":[" + WEATHER + "],\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}]}", TEXT_MODEL);
        assertEquals(List.of("city"), t.shaping().tools().get("get_weather").get("required"));
        assertEquals("get_weather", t.toolNames().restore("get_weather"));
    }

    @Test
    void historyToolNamesAreSanitizedTheSameWayAsDeclaredTools() {
        String longName = "mcp__server__" + "x".repeat(80);
        JsonNode wire = wire(translate("{\"model\":\"m\",\"tools\":[{\"name\":\"" + longName + "\",\"input_schema\":{}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"go\"},{\"role\":\"assistant\",\"content\":[{\"type\":"
                + "\"tool_use\",\"id\":\"toolu_01A\",\"name\":\"" + longName + "\",\"input\":{}}]}]}", TEXT_MODEL));
        assertEquals(wire.get("tools").get(0).get("function").get("name"),
                wire.get("messages").get(1).get("tool_calls").get(0).get("function").get("name"));
    }
}
