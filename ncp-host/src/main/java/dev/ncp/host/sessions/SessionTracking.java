package dev.ncp.host.sessions;

import dev.ncp.api.storage.StorageException;
import dev.ncp.host.anthropic.MessagesRequest;
import dev.ncp.host.anthropic.RequestMetadata;
import dev.ncp.host.exchange.AnswerTaps;
import dev.ncp.host.exchange.Exchange;
import dev.ncp.host.storage.StorageDegradation;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Optional;

/**
 * Counts each {@code POST /v1/messages} of a Claude Code session into its {@link SessionRecord}: one request, the
 * answer's final usage (observed through {@link AnswerTaps}) and the upstream model. Runs inside idempotency, so a
 * replayed answer — which cost no upstream tokens — is not counted again. The session comes from the
 * {@value SessionIds#HEADER} header, else from {@code metadata.user_id} ({@link SessionIds}). Recorded after the
 * answer, on the request's own thread; when storage fails the count is skipped, never the request.
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
        Optional<String> fromHeader = ids.fromHeader(ctx.header(SessionIds.HEADER));
        AnswerTaps taps = Exchange.of(ctx).taps();
        var observer = new UsageObserver();
        taps.observeEvents(observer);
        boolean threw = true;
        try {
            next.handle(ctx);
            threw = false;
        } finally {
            // Without the header, the session is known once the handler has parsed metadata.user_id: scanning the
            // body for it beforehand cost a second pass over every (often 50-100 KB) body.
            Optional<String> session = fromHeader.isPresent() ? fromHeader : fromBody(ctx, taps);
            if (session.isPresent()) {
                // The header only when no answer ran: a stream's went out before a fallback model answered.
                AnswerSummary summary = observer.summary(
                        taps.upstreamModel().orElseGet(() -> ctx.res().getHeader("x-ncp-model")),
                        threw || ctx.statusCode() >= 400);
                try {
                    store.record(Exchange.of(ctx).principal().id(), session.get(), summary);
                } catch (StorageException e) {
                    degradation.skipped("sessions", e);
                }
            }
        }
    }

    /** The session in the parsed request's metadata; a body the handler never parsed (a 400, a 429) is scanned. */
    private Optional<String> fromBody(Context ctx, AnswerTaps taps) {
        Optional<MessagesRequest> parsed = taps.parsedRequest();
        if (parsed.isEmpty()) {
            return ids.of(null, ctx.bodyAsBytes());
        }
        RequestMetadata metadata = parsed.get().metadata();
        return ids.fromUserId(metadata == null ? null : metadata.userId());
    }
}
