package dev.ncp.api.openai;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/** OpenAI {@code tool_choice}: a mode string or one named function. */
public sealed interface ToolChoice {

    ToolChoice AUTO = new Mode("auto");
    ToolChoice REQUIRED = new Mode("required");
    ToolChoice NONE = new Mode("none");

    /** {@code "auto"}, {@code "required"} or {@code "none"}. */
    record Mode(@JsonValue String value) implements ToolChoice {
    }

    /** Forces one function by name. */
    record Function(String name) implements ToolChoice {
        @JsonValue
        Map<String, Object> wire() {
            return Map.of("type", "function", "function", Map.of("name", name));
        }
    }
}
