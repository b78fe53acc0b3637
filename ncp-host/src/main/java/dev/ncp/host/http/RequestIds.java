package dev.ncp.host.http;

import dev.ncp.host.anthropic.Ids;
import dev.ncp.host.exchange.Exchange;
import io.javalin.http.Context;

/** The first filter: starts every request's {@link Exchange} and gives it an Anthropic-style id, sent back as the {@code request-id} header on every answer. */
public final class RequestIds {

    private final Ids ids;

    public RequestIds(Ids ids) {
        this.ids = ids;
    }

    /** Before-handler: assigns the id and sets the header (so even errors carry it). */
    public void assign(Context ctx) {
        String id = ids.requestId();
        Exchange.begin(ctx, id);
        ctx.header("request-id", id);
    }
}
