package dev.ncp.host.passthrough;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.anthropic.JsonBodyLimits;
import dev.ncp.host.anthropic.ModelNames;
import dev.ncp.host.error.ApiError;
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

    /** Reads request bodies within the limits the translating path reads them within ({@link JsonBodyLimits}). */
    static final class Reader {

        private final JsonBodyLimits limits;
        private final ObjectMapper json;

        Reader(JsonBodyLimits limits) {
            this.limits = limits;
            this.json = limits.applyTo(new ObjectMapper());
        }

        PassThroughRequest read(byte[] body) {
            JsonNode root;
            try {
                root = json.readTree(body);
            } catch (StreamConstraintsException e) {
                throw limits.exceeded(e);
            } catch (IOException e) {
                if (e.getCause() instanceof StreamConstraintsException c) {
                    throw limits.exceeded(c);
                }
                throw ApiError.invalidRequest("Request body is not valid JSON: "
                        + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
            }
            if (root == null || !root.isObject()) {
                throw ApiError.invalidRequest("Request body must be a JSON object with model, messages and"
                        + " max_tokens");
            }
            JsonNode tools = root.path("tools");
            if (tools.isArray()) {
                limits.checkToolCount(tools.size());
            }
            JsonNode model = root.path("model");
            if (model.isTextual()) {
                ModelNames.check(model.asText());
            }
            return new PassThroughRequest(model.isTextual() ? model.asText() : "-", root.path("stream").asBoolean());
        }
    }
}
