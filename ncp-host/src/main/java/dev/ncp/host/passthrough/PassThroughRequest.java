package dev.ncp.host.passthrough;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.anthropic.ModelNames;
import dev.ncp.host.http.ApiError;
import java.io.IOException;

/**
 * What ncp must know of a request it passes through untranslated: the model (for the principal's allow-list, logs
 * and metrics) and whether it streams. Reading it applies the same JSON depth and tool-count limits as the
 * translating path; everything else is the upstream's to judge.
 *
 * @param model  the requested model, or {@code "-"} when the body names none (count_tokens always does)
 * @param stream whether the client asked for an event stream
 */
record PassThroughRequest(String model, boolean stream) {

    /** Reads request bodies within {@code NCP_MAX_JSON_DEPTH} and {@code NCP_MAX_TOOLS}. */
    static final class Reader {

        private static final int MAX_STRING_LENGTH = 64 * 1024 * 1024; // as MessagesRequestParser: images fit

        private final ObjectMapper json;
        private final int maxDepth;
        private final int maxTools;

        Reader(int maxDepth, int maxTools) {
            this.json = new ObjectMapper();
            json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(MAX_STRING_LENGTH).maxNestingDepth(maxDepth).build());
            this.maxDepth = maxDepth;
            this.maxTools = maxTools;
        }

        PassThroughRequest read(byte[] body) {
            JsonNode root;
            try {
                root = json.readTree(body);
            } catch (StreamConstraintsException e) {
                throw tooDeep(e);
            } catch (IOException e) {
                if (e.getCause() instanceof StreamConstraintsException c) {
                    throw tooDeep(c);
                }
                throw ApiError.invalidRequest("Request body is not valid JSON: "
                        + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
            }
            if (root == null || !root.isObject()) {
                throw ApiError.invalidRequest("Request body must be a JSON object with model, messages and"
                        + " max_tokens");
            }
            JsonNode tools = root.path("tools");
            if (tools.isArray() && tools.size() > maxTools) {
                throw ApiError.invalidRequest("tools: at most " + maxTools + " tools are accepted per request (got "
                        + tools.size() + "; NCP_MAX_TOOLS)");
            }
            JsonNode model = root.path("model");
            if (model.isTextual()) {
                ModelNames.check(model.asText());
            }
            return new PassThroughRequest(model.isTextual() ? model.asText() : "-", root.path("stream").asBoolean());
        }

        private ApiError tooDeep(StreamConstraintsException e) {
            String m = String.valueOf(e.getOriginalMessage());
            if (m.contains("nesting depth")) {
                return ApiError.invalidRequest("Request body is nested too deeply: at most " + maxDepth
                        + " levels of JSON objects and arrays are accepted (NCP_MAX_JSON_DEPTH).");
            }
            return ApiError.invalidRequest("Request body exceeds a parser limit.");
        }
    }
}
