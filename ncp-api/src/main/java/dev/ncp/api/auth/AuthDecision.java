package dev.ncp.api.auth;

import dev.ncp.api.error.ErrorType;

/** The outcome of {@link AuthProvider#authenticate}. */
public sealed interface AuthDecision {

    /** The request is {@code principal}. */
    record Accept(Principal principal) implements AuthDecision {
    }

    /** The request is refused with an Anthropic error; {@code message} says what to do and never echoes a key. */
    record Reject(ErrorType type, String message) implements AuthDecision {
    }

    /** This provider has no opinion (e.g. the key is not one of its own); the next provider decides. */
    record Abstain() implements AuthDecision {
    }

    static AuthDecision accept(Principal principal) {
        return new Accept(principal);
    }

    static AuthDecision reject(String message) {
        return new Reject(ErrorType.AUTHENTICATION, message);
    }

    static AuthDecision abstain() {
        return new Abstain();
    }
}
