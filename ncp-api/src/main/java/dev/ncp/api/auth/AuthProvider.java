package dev.ncp.api.auth;

import org.pf4j.ExtensionPoint;

/**
 * Decides who a request is. The host asks providers in {@link #order()}; the first that does not
 * {@link AuthDecision.Abstain abstain} decides. When every provider abstains the request is refused.
 */
public interface AuthProvider extends ExtensionPoint {

    /** A short name for logs and {@code /health}, e.g. {@code "proxy-api-key"}. */
    String name();

    /** Lower runs first. Built-in providers use 1000, so plugins run before them by default. */
    default int order() {
        return 100;
    }

    /** Whether this provider takes part given the configuration (e.g. a key file exists). Called once at startup. */
    default boolean enabled(AuthSettings settings) {
        return true;
    }

    AuthDecision authenticate(AuthRequest request);
}
