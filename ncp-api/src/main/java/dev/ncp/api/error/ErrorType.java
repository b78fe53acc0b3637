package dev.ncp.api.error;

/**
 * The error types of the Anthropic Messages API, each with the HTTP status Anthropic uses for it.
 * Every error a client of ncp sees is one of these, rendered as
 * {@code {"type":"error","error":{"type":...,"message":...}}}.
 */
public enum ErrorType {
    INVALID_REQUEST("invalid_request_error", 400),
    AUTHENTICATION("authentication_error", 401),
    BILLING("billing_error", 402),
    PERMISSION("permission_error", 403),
    NOT_FOUND("not_found_error", 404),
    REQUEST_TOO_LARGE("request_too_large", 413),
    RATE_LIMIT("rate_limit_error", 429),
    API("api_error", 500),
    TIMEOUT("timeout_error", 504),
    OVERLOADED("overloaded_error", 529);

    private final String wireName;
    private final int httpStatus;

    ErrorType(String wireName, int httpStatus) {
        this.wireName = wireName;
        this.httpStatus = httpStatus;
    }

    /** The {@code error.type} string on the wire, e.g. {@code "invalid_request_error"}. */
    public String wireName() {
        return wireName;
    }

    /** The HTTP status Anthropic answers with for this error type. */
    public int httpStatus() {
        return httpStatus;
    }

    public static ErrorType fromWireName(String name) {
        for (ErrorType t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown Anthropic error type: " + name);
    }
}
