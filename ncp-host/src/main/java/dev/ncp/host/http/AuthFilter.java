package dev.ncp.host.http;

import dev.ncp.api.auth.AuthDecision;
import dev.ncp.api.auth.Principal;
import dev.ncp.host.auth.AuthChain;
import io.javalin.http.Context;
import java.util.Set;

/** Before-handler that decides who a request is, or ends it with an Anthropic 401/403. */
public final class AuthFilter {

    private static final String ATTRIBUTE = "ncp.principal";
    /** Claude Code's connectivity probe reveals nothing and must answer even before a key is set up. */
    private static final Set<String> OPEN_PATHS = Set.of("/api/hello");

    private final AuthChain chain;

    public AuthFilter(AuthChain chain) {
        this.chain = chain;
    }

    public void check(Context ctx) {
        if (OPEN_PATHS.contains(ctx.path())) {
            return;
        }
        switch (chain.authenticate(new JavalinAuthRequest(ctx))) {
            case AuthDecision.Accept accept -> ctx.attribute(ATTRIBUTE, accept.principal());
            case AuthDecision.Reject reject -> throw new ApiError(reject.type(), reject.message());
            case AuthDecision.Abstain abstain -> throw new IllegalStateException("the chain never abstains");
        }
    }

    public static Principal principal(Context ctx) {
        Principal p = ctx.attribute(ATTRIBUTE);
        return p == null ? Principal.named("anonymous") : p;
    }
}
