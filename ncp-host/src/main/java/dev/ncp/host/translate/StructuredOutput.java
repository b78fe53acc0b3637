package dev.ncp.host.translate;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.error.ApiError;
import java.util.Map;

/**
 * {@code output_config.format} ({@code {"type":"json_schema","schema":{...}}}, Anthropic's structured outputs) →
 * OpenAI {@code response_format} {@code {"type":"json_schema","json_schema":{"name":"output","schema":{...}}}},
 * which vLLM-served NIM models honour with guided decoding. The schema gets the same cleaning as tool schemas.
 */
final class StructuredOutput {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final ObjectMapper json;
    private final ToolSchemaCleaner cleaner;

    StructuredOutput(ObjectMapper json, ToolSchemaCleaner cleaner) {
        this.json = json;
        this.cleaner = cleaner;
    }

    /** The {@code response_format} value to send, or null when the client asked for no format. */
    Map<String, Object> responseFormat(JsonNode format) {
        if (format == null || format.isNull()) {
            return null;
        }
        if (!"json_schema".equals(format.path("type").asText()) || !format.path("schema").isObject()) {
            throw ApiError.invalidRequest("output_config.format: expected {\"type\": \"json_schema\", \"schema\":"
                    + " {...}} (got " + format + ")");
        }
        Map<String, Object> schema = cleaner.clean(json.convertValue(format.get("schema"), MAP));
        return Map.of("type", "json_schema", "json_schema", Map.of("name", "output", "schema", schema));
    }
}
