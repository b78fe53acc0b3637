package dev.ncp.host.http;

import dev.ncp.host.error.ApiError;
import io.javalin.http.Context;
import java.util.Locale;

/**
 * The Messages API takes JSON: a body declared as anything else ({@code text/plain}, a form...) gets 400 before it is
 * read. A request without Content-Type is let through (some clients omit it; the body must still parse as JSON).
 * Besides clarity this closes a CSRF path: the content types a web page may send cross-origin without a preflight
 * ({@code text/plain}, forms) are exactly the ones refused.
 */
public final class JsonContentType {

    private JsonContentType() {
    }

    /** Before handler for the endpoints that take a JSON body. */
    public static void check(Context ctx) {
        String type = ctx.header("Content-Type");
        if (type == null || type.isBlank()) {
            return;
        }
        String mime = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mime.equals("application/json") && !mime.endsWith("+json")) {
            throw ApiError.invalidRequest("Content-Type " + mime + " is not accepted: send the request body as JSON "
                    + "with Content-Type: application/json.");
        }
    }
}
