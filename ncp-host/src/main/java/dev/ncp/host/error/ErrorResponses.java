package dev.ncp.host.error;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.error.ErrorType;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** The only place an error response is written: Anthropic's error JSON, its status and the request id. */
public final class ErrorResponses {

    private final ObjectMapper json;

    public ErrorResponses(ObjectMapper json) {
        this.json = json;
    }

    public void write(Context ctx, ApiError error) {
        answeredWith(ctx, error);
        ctx.result(body(error.type(), error.getMessage()));
    }

    /**
     * As {@link #write}, but the answer goes out now, flushed, instead of when the handlers are done: for an answer
     * that must reach the client before ncp does anything else with the connection (reading what it still sends).
     */
    public void writeNow(Context ctx, ApiError error) throws java.io.IOException {
        answeredWith(ctx, error);
        byte[] bytes = body(error.type(), error.getMessage()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ctx.res().setContentLength(bytes.length);
        ctx.res().getOutputStream().write(bytes);
        ctx.res().flushBuffer();
    }

    /** Sets the answer's status and headers for {@code error}. */
    private static void answeredWith(Context ctx, ApiError error) {
        error.headers().forEach(ctx::header);
        ctx.status(error.status()).contentType("application/json");
    }

    /** {@code {"type":"error","error":{"type":...,"message":...}}}, as Anthropic sends it. */
    public String body(ErrorType type, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type.wireName());
        error.put("message", message);
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("type", "error");
        envelope.put("error", error);
        try {
            return json.writeValueAsString(envelope);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("an error body of two strings always serializes", e);
        }
    }

    /** Maps a status Javalin or Jetty produced on its own (404, 405, 413...) to Anthropic's error types. */
    public static ErrorType typeForStatus(int status) {
        return switch (status) {
            case 400, 422, 431 -> ErrorType.INVALID_REQUEST;
            case 401 -> ErrorType.AUTHENTICATION;
            case 403 -> ErrorType.PERMISSION;
            case 404, 405 -> ErrorType.NOT_FOUND;
            case 413 -> ErrorType.REQUEST_TOO_LARGE;
            case 429 -> ErrorType.RATE_LIMIT;
            case 503, 529 -> ErrorType.OVERLOADED;
            default -> ErrorType.API;
        };
    }
}
