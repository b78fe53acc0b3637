package dev.ncp.host.http;

import dev.ncp.api.auth.AuthRequest;
import io.javalin.http.Context;
import java.util.Optional;

/** An {@link AuthRequest} view of a Javalin request. */
record JavalinAuthRequest(Context ctx) implements AuthRequest {

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(ctx.header(name));
    }

    @Override
    public String method() {
        return ctx.method().name();
    }

    @Override
    public String path() {
        return ctx.path();
    }

    @Override
    public String remoteAddress() {
        return ctx.ip();
    }
}
