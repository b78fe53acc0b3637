package dev.ncp.host.translate;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.openai.ChatTool;
import dev.ncp.host.error.ApiError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * What ncp does with each Anthropic-defined tool type. NIM runs no tools itself, so:
 * <pre>
 * type prefix            executed by   ncp behaviour
 * bash_*                 client        function tool "bash" {command, restart}
 * text_editor_20250124,  client        function tool "str_replace_editor" (view/create/str_replace/insert/undo_edit)
 *   text_editor_20241022
 * text_editor_* (newer)  client        function tool "str_replace_based_edit_tool" (view/create/str_replace/insert)
 * computer_2*            client        function tool "computer" {action, coordinate, text, ...}; screen size from
 *                                      display_width_px/display_height_px goes into the description
 * memory_*               client        function tool "memory" (view/create/str_replace/insert/delete/rename)
 * web_search_*, web_fetch_*, code_execution_*, tool_search_tool_*, mcp_toolset
 *                        Anthropic     400: NIM has no server-side tools
 * computer_toolset_*, browser_toolset_*, any other type
 *                        -             400: not supported by ncp, naming the type
 * </pre>
 * The function keeps the name the client declared (Anthropic fixes it per type; the defaults above apply when the
 * client leaves it out), so the model's calls come back under the name the client's tool runner expects.
 * Schemas: {@code anthropic-defined-tools.json} beside this class, written from Anthropic's tool documentation.
 */
final class AnthropicToolCatalog {

    private static final String RESOURCE = "anthropic-defined-tools.json";
    private static final List<String> SERVER_PREFIXES =
            List.of("web_search_", "web_fetch_", "code_execution_", "tool_search_tool_", "mcp_toolset");

    private final Map<String, Definition> definitions;

    /** A client-executed tool's default name, description and input schema. */
    record Definition(String name, String description, Map<String, Object> inputSchema) {
    }

    AnthropicToolCatalog(ObjectMapper json) {
        try (InputStream in = AnthropicToolCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing from the classpath");
            }
            Map<String, Map<String, Object>> raw = json.readValue(in, new TypeReference<>() { });
            this.definitions = Map.copyOf(raw.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                    Map.Entry::getKey, e -> definition(e.getValue()))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Definition definition(Map<String, Object> entry) {
        return new Definition((String) entry.get("name"), (String) entry.get("description"),
                (Map<String, Object>) entry.get("input_schema"));
    }

    /**
     * The function tool standing in for an Anthropic-defined tool, named {@code upstreamName}; throws a 400 for
     * server-executed and unknown types.
     */
    ChatTool.Function functionFor(String type, String path, String upstreamName, Map<String, ?> settings) {
        Definition d = definitions.get(catalogKey(type, path));
        String description = d.description();
        if (type.startsWith("computer_") && settings.get("display_width_px") != null) {
            description += " The screen is " + settings.get("display_width_px") + "x"
                    + settings.get("display_height_px") + " pixels.";
        }
        return new ChatTool.Function(upstreamName, description, d.inputSchema());
    }

    /** The name Anthropic gives a tool of this type when the client sends none. */
    String defaultName(String type, String path) {
        return definitions.get(catalogKey(type, path)).name();
    }

    private static String catalogKey(String type, String path) {
        if (type.startsWith("bash_")) {
            return "bash";
        }
        if (type.equals("text_editor_20250124") || type.equals("text_editor_20241022")) {
            return "text_editor_legacy";
        }
        if (type.startsWith("text_editor_")) {
            return "text_editor";
        }
        if (type.startsWith("computer_2")) {
            return "computer";
        }
        if (type.startsWith("memory_")) {
            return "memory";
        }
        if (SERVER_PREFIXES.stream().anyMatch(type::startsWith)) {
            throw ApiError.invalidRequest(path + ".type: '" + type + "' is a server tool that Anthropic runs on its"
                    + " own servers; NVIDIA NIM has no server-side tools, so ncp cannot offer it. Remove it, or"
                    + " define a custom tool your client executes.");
        }
        throw ApiError.invalidRequest(path + ".type: tool type '" + type + "' is not supported by ncp; use custom"
                + " tools (type 'custom' or no type) or one of bash_*, text_editor_*, computer_*, memory_*.");
    }
}
