package dev.ncp.host.anthropic;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** {@code output_config}: the effort level ({@code low} ... {@code max}) and an optional structured-output format. */
public record OutputConfig(@JsonProperty("effort") String effort, @JsonProperty("format") JsonNode format) {
}
