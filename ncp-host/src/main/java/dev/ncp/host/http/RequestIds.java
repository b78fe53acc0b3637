package dev.ncp.host.http;

import dev.ncp.host.anthropic.Ids;
import io.javalin.http.Context;

/** Gives every request an Anthropic-style id, sent back as the {@code request-id} header on every answer. */
public final class RequestIds {

    private static final String ATTRIBUTE = "ncp.request-id";

    private final Ids ids;

    public RequestIds(Ids ids) {
        this.ids = ids;
    }

    /** Before-handler: assigns the id and sets the header (so even errors carry it). */
    public void assign(Context ctx) {
        String id = ids.requestId();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header("request-id", id);
    }

    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id == null ? "" : id;
    }
}
