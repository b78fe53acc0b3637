package dev.ncp.host.http;

import dev.ncp.api.error.ErrorType;
import io.javalin.http.Context;
import java.util.Map;

/**
 * {@code MAX_REQUEST_BODY_MB}: a body announced larger (Content-Length) is refused before a byte of it is read; a
 * chunked body is cut off where it passes the limit (Javalin reads bodies with that limit). Both get Anthropic's
 * 413 {@code request_too_large}.
 */
public final class RequestSizeLimit {

    private final long maxBytes;

    public RequestSizeLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Before handler: refuses a request whose Content-Length is over the limit. */
    public void check(Context ctx) {
        if (ctx.req().getContentLengthLong() > maxBytes) {
            throw tooLarge();
        }
    }

    public ApiError tooLarge() {
        return new ApiError(ErrorType.REQUEST_TOO_LARGE, 413, "Request body too large: max "
                + Math.max(1, maxBytes / (1024 * 1024)) + " MB allowed (MAX_REQUEST_BODY_MB).", Map.of());
    }
}
