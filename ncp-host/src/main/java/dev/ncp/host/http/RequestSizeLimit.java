package dev.ncp.host.http;

import dev.ncp.api.error.ErrorType;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.error.ErrorResponses;
import dev.ncp.host.exchange.Exchange;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * {@code MAX_REQUEST_BODY_MB}: a body announced larger (Content-Length) is refused before a byte of it is read; a
 * chunked body is cut off where it passes the limit (Javalin reads bodies with that limit). Both get Anthropic's 413
 * {@code request_too_large}, written at once.
 *
 * <p>After the 413 has gone out, what the client still sends is read and thrown away, up to
 * {@link #DRAIN_CAP_BYTES}: the client is usually still sending its body, and closing a socket with unread bytes
 * makes the kernel send a reset that can destroy the 413 before the client reads it ("header parser received no
 * bytes"). Past the cap, or when the client stops sending, the connection is closed as it is.
 */
public final class RequestSizeLimit {

    static final long DRAIN_CAP_BYTES = 64L * 1024 * 1024;

    private final long maxBytes;

    public RequestSizeLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Before handler: refuses a request whose Content-Length is over the limit. */
    public void check(Context ctx) {
        if (ctx.req().getContentLengthLong() > maxBytes) {
            throw new BodyTooLarge();
        }
    }

    /** Answers a refused body with the 413 now, then reads what the client is still sending, up to the cap. */
    public void refuse(Context ctx, ErrorResponses errors) {
        try {
            ApiError tooLarge = tooLarge();
            Exchange.of(ctx).answeredWith(tooLarge);
            errors.writeNow(ctx, tooLarge);
        } catch (IOException e) {
            return; // the client is gone
        }
        if (ctx.req().getContentLengthLong() <= DRAIN_CAP_BYTES) {
            drain(ctx);
        }
    }

    private void drain(Context ctx) {
        byte[] buffer = new byte[64 * 1024];
        long read = 0;
        try {
            InputStream in = ctx.req().getInputStream();
            for (int n; read < DRAIN_CAP_BYTES && (n = in.read(buffer)) >= 0; ) {
                read += n;
            }
        } catch (IOException | IllegalStateException e) {
            // The client gave up or the stream was already consumed: nothing left to protect.
        }
    }

    /** Thrown by {@link #check}; its handler answers with {@link #refuse}. */
    public static final class BodyTooLarge extends RuntimeException {
        BodyTooLarge() {
            super("request body over MAX_REQUEST_BODY_MB", null, false, false);
        }
    }

    private ApiError tooLarge() {
        return new ApiError(ErrorType.REQUEST_TOO_LARGE, 413, "Request body too large: max "
                + Math.max(1, maxBytes / (1024 * 1024)) + " MB allowed (MAX_REQUEST_BODY_MB).", Map.of());
    }
}
