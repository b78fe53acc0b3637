package dev.ncp.host.auth;

import dev.ncp.api.auth.AuthDecision;
import dev.ncp.api.auth.AuthProvider;
import dev.ncp.api.auth.AuthRequest;
import dev.ncp.api.auth.Principal;

/**
 * Open mode, used only when no key is configured: every request is the local user. The server refuses to start
 * in this mode unless it is bound to loopback (see {@code AuthChain.forConfig}).
 */
public final class OpenLoopbackAuthProvider implements AuthProvider {

    // The local user owns the proxy: open mode is loopback-only, so whoever can reach it runs it.
    private static final Principal LOCAL = Principal.operatorNamed("local");

    @Override
    public String name() {
        return "open-loopback";
    }

    @Override
    public int order() {
        return Integer.MAX_VALUE;
    }

    @Override
    public AuthDecision authenticate(AuthRequest request) {
        return AuthDecision.accept(LOCAL);
    }
}
