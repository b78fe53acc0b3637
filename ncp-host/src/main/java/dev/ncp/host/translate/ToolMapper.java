package dev.ncp.host.translate;

import dev.ncp.api.openai.ChatTool;
import dev.ncp.host.anthropic.ToolDefinition;
import dev.ncp.host.error.ApiError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Anthropic {@code tools} → OpenAI function tools: names sanitized (reversibly, see {@link ToolNames}), schemas
 * cleaned ({@link ToolSchemaCleaner}), Anthropic-defined types handled per {@link AnthropicToolCatalog}. Fields such
 * as {@code cache_control}, {@code defer_loading} and {@code strict} have no upstream meaning and are ignored.
 */
final class ToolMapper {

    /** The request's tools as sent upstream, their names, and their schemas by upstream name for adapters. */
    record MappedTools(List<ChatTool> tools, ToolNames names, Map<String, Map<String, Object>> schemas) {
        static final MappedTools NONE = new MappedTools(List.of(), ToolNames.none(), Map.of());
    }

    private final ToolNameSanitizer sanitizer;
    private final ToolSchemaCleaner cleaner;
    private final AnthropicToolCatalog catalog;

    ToolMapper(ToolNameSanitizer sanitizer, ToolSchemaCleaner cleaner, AnthropicToolCatalog catalog) {
        this.sanitizer = sanitizer;
        this.cleaner = cleaner;
        this.catalog = catalog;
    }

    MappedTools map(List<ToolDefinition> definitions) {
        if (definitions.isEmpty()) {
            return MappedTools.NONE;
        }
        List<String> clientNames = clientNames(definitions);
        ToolNames names = ToolNames.assign(clientNames, sanitizer);
        var tools = new ArrayList<ChatTool>(definitions.size());
        var schemas = new LinkedHashMap<String, Map<String, Object>>();
        for (int i = 0; i < definitions.size(); i++) {
            ToolDefinition d = definitions.get(i);
            String upstream = names.upstream(clientNames.get(i));
            ChatTool.Function function = d.custom()
                    ? new ChatTool.Function(upstream, d.description(), cleaner.clean(d.inputSchema()))
                    : catalog.functionFor(d.type(), "tools." + i, upstream, d.other());
            tools.add(new ChatTool(function));
            schemas.put(upstream, function.parameters());
        }
        return new MappedTools(List.copyOf(tools), names, schemas);
    }

    /** Refuses server and unknown types before anything else is mapped. */
    private String definedName(ToolDefinition d, String path) {
        String fallback = catalog.defaultName(d.type(), path);
        return d.name() != null ? d.name() : fallback;
    }

    /** Each tool's name as the client knows it; Anthropic-defined tools default to the name Anthropic gives them. */
    private List<String> clientNames(List<ToolDefinition> definitions) {
        var names = new ArrayList<String>(definitions.size());
        var seen = new LinkedHashMap<String, Integer>();
        for (int i = 0; i < definitions.size(); i++) {
            ToolDefinition d = definitions.get(i);
            String name = d.custom() ? d.name() : definedName(d, "tools." + i);
            Integer previous = seen.putIfAbsent(name, i);
            if (previous != null) {
                throw ApiError.invalidRequest("tools: Tool names must be unique ('" + name + "' is both tools."
                        + previous + " and tools." + i + ")");
            }
            names.add(name);
        }
        return names;
    }
}
