package dev.ncp.host.error;

import dev.ncp.api.error.ErrorType;
import dev.ncp.host.config.Secrets;
import java.util.Map;

/**
 * The one way an error reaches a client: an Anthropic error type, a message that says what to do, and the HTTP
 * status (Anthropic's for the type unless an upstream status is passed through). Thrown anywhere on a request's
 * path; {@code ErrorResponses} renders it as {@code {"type":"error","error":{"type":...,"message":...}}}.
 *
 * <p>Messages must never contain a credential; credential-shaped words are masked here as a last line of defence.
 */
public final class ApiError extends RuntimeException {

    private final ErrorType type;
    private final int status;
    private final Map<String, String> headers;

    public ApiError(ErrorType type, String message) {
        this(type, type.httpStatus(), message, Map.of());
    }

    public ApiError(ErrorType type, int status, String message, Map<String, String> headers) {
        super(Secrets.scrub(message), null, false, false);
        this.type = type;
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    public static ApiError invalidRequest(String message) {
        return new ApiError(ErrorType.INVALID_REQUEST, message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(ErrorType.NOT_FOUND, message);
    }

    public ErrorType type() {
        return type;
    }

    public int status() {
        return status;
    }

    /** Extra response headers, e.g. {@code retry-after}. */
    public Map<String, String> headers() {
        return headers;
    }
}
