package dev.ncp.host.sessions;

import dev.ncp.api.storage.StorageException;
import dev.ncp.host.http.AuthFilter;
import dev.ncp.host.messages.AnswerTaps;
import dev.ncp.host.storage.StorageDegradation;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Optional;

/**
 * Counts each {@code POST /v1/messages} of a Claude Code session into its {@link SessionRecord}: one request, the
 * answer's final usage (observed through {@link AnswerTaps}) and the upstream model. Runs inside idempotency, so a
 * replayed answer — which cost no upstream tokens — is not counted again. Recorded after the answer, on the
 * request's own thread; when storage fails the count is skipped, never the request.
 */
public final class SessionTracking implements Handler {

    private final SessionIds ids;
    private final SessionStore store;
    private final StorageDegradation degradation;
    private final Handler next;

    public SessionTracking(SessionIds ids, SessionStore store, StorageDegradation degradation, Handler next) {
        this.ids = ids;
        this.store = store;
        this.degradation = degradation;
        this.next = next;
    }

    @Override
    public void handle(Context ctx) throws Exception {
        Optional<String> session = ids.of(ctx.header(SessionIds.HEADER), ctx.bodyAsBytes());
        if (session.isEmpty()) {
            next.handle(ctx);
            return;
        }
        var observer = new UsageObserver();
        AnswerTaps.of(ctx).observeEvents(observer);
        boolean threw = true;
        try {
            next.handle(ctx);
            threw = false;
        } finally {
            AnswerSummary summary = observer.summary(ctx.res().getHeader("x-ncp-model"),
                    threw || ctx.statusCode() >= 400);
            try {
                store.record(AuthFilter.principal(ctx).id(), session.get(), summary);
            } catch (StorageException e) {
                degradation.skipped("sessions", e);
            }
        }
    }
}
