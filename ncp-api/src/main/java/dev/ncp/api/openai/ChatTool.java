package dev.ncp.api.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** One function tool offered to the model; {@code parameters} is its JSON schema, passed through as data. */
public record ChatTool(@JsonProperty("function") Function function) {

    @JsonProperty("type")
    public String type() {
        return "function";
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Function(
            @JsonProperty("name") String name,
            @JsonProperty("description") String description,
            @JsonProperty("parameters") Map<String, Object> parameters) {
    }
}
