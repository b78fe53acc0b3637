package dev.ncp.host.sessions;

import dev.ncp.api.error.ErrorType;
import dev.ncp.api.storage.StorageException;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.exchange.Exchange;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/ncp/sessions} (the caller's sessions, most recently active first; {@code ?limit=1..200}, default
 * 20) and {@code GET /v1/ncp/sessions/{id}}.
 */
public final class SessionsHandler {

    private static final int DEFAULT_LIMIT = 20;

    private final SessionStore store;

    public SessionsHandler(SessionStore store) {
        this.store = store;
    }

    public void list(Context ctx) {
        int limit = limit(ctx.queryParam("limit"));
        List<SessionRecord> sessions = read(() -> store.recent(Exchange.of(ctx).principal().id(), limit));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", sessions);
        body.put("has_more", false);
        ctx.json(body);
    }

    public void get(Context ctx) {
        String id = ctx.pathParam("id");
        SessionRecord session = read(() -> store.get(Exchange.of(ctx).principal().id(), id)).orElseThrow(() ->
                ApiError.notFound("No session " + id + " is known to ncp (sessions are kept for 7 days after their"
                        + " last request)."));
        ctx.json(session);
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= SessionStore.INDEX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiError.invalidRequest("limit must be a whole number from 1 to " + SessionStore.INDEX_LIMIT + ".");
    }

    private static <T> T read(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (StorageException e) {
            throw new ApiError(ErrorType.API, 503, "Sessions are unavailable: the storage engine failed ("
                    + e.getMessage() + ").", Map.of());
        }
    }
}
