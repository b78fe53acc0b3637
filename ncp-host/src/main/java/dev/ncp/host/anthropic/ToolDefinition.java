package dev.ncp.host.anthropic;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One entry of {@code tools}: a custom tool ({@code type} absent or {@code "custom"}, with {@code input_schema}) or an
 * Anthropic-defined one ({@code type} such as {@code bash_20250124}, {@code web_search_20250305}). Settings of
 * Anthropic-defined tools ({@code display_width_px}, {@code max_uses}...) and fields ncp ignores
 * ({@code cache_control}, {@code defer_loading}, {@code strict}) land in {@code other}.
 */
public record ToolDefinition(
        @JsonProperty("type") String type,
        @JsonProperty("name") String name,
        @JsonProperty("description") String description,
        @JsonProperty("input_schema") Map<String, Object> inputSchema,
        @JsonAnySetter Map<String, JsonNode> other) {

    public ToolDefinition {
        other = other == null ? Map.of() : other;
    }

    /** Whether this is a tool the client defines itself, as opposed to an Anthropic-defined type. */
    public boolean custom() {
        return type == null || "custom".equals(type);
    }
}
