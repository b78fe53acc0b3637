package dev.ncp.host.plan;

import dev.ncp.api.model.ModelInfo;
import dev.ncp.host.pump.Attempt;

/**
 * Makes the attempts of one request: the first, for the model it resolved to, and one for each fallback model the
 * resilience layer turns to. The one place an {@link Attempt} is made.
 */
public interface AttemptFactory {

    /** The model name the client sent. */
    String requestedModel();

    /** The model the request resolved to: its first attempt's. */
    ModelInfo primaryModel();

    Attempt first();

    /**
     * The request planned for {@code model}, a fallback of the primary model. Throws an
     * {@link dev.ncp.host.error.ApiError} when the request cannot go there (the principal may not use it, the prompt
     * is too long for its context, it cannot see images...).
     */
    Attempt forFallback(ModelInfo model);
}
