package dev.ncp.host.anthropic;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code tool_choice}: {@code auto}, {@code any}, {@code tool} (with {@code name}) or {@code none}. */
public record ToolChoiceParam(
        @JsonProperty("type") String type,
        @JsonProperty("name") String name,
        @JsonProperty("disable_parallel_tool_use") Boolean disableParallelToolUse) {
}
