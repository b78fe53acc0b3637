package dev.ncp.host.resilience;

import dev.ncp.api.error.ErrorType;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.response.UpstreamErrorMapper;

/**
 * What a failed upstream attempt means for what to do next: try the same model again, count it against the model's
 * circuit breaker, move on to the next model of the fallback chain — or answer the client now.
 */
public enum FailureKind {
    /** 408, 5xx, 529, timeouts, refused or reset connections: likely to pass on another try. */
    TRANSIENT(true, true, true),
    /** 429: try again after the Retry-After, or elsewhere; says nothing about the model's health. */
    RATE_LIMITED(true, false, true),
    /** 404 or 410: the model is not (or no longer) served; another model may be. */
    MODEL_MISSING(false, false, true),
    /** A context-length 400 with numbers: retried once with a smaller max_tokens, else final. */
    CONTEXT_OVERFLOW(false, false, false),
    /** ncp's breaker refuses calls to the model for now. */
    BREAKER_OPEN(false, false, true),
    /** The request cannot go to this fallback model (too long for it, an image it cannot see...). */
    UNSUITABLE(false, false, true),
    /** Any other 4xx (401, 403, 400...): the same request would fail again, anywhere. */
    FINAL(false, false, false);

    private final boolean retry;
    private final boolean breakerFailure;
    private final boolean fallback;

    FailureKind(boolean retry, boolean breakerFailure, boolean fallback) {
        this.retry = retry;
        this.breakerFailure = breakerFailure;
        this.fallback = fallback;
    }

    public static FailureKind of(ApiError error) {
        int status = error.status();
        if (status == 429 || error.type() == ErrorType.RATE_LIMIT) {
            return RATE_LIMITED;
        }
        if (error.type() == ErrorType.NOT_FOUND) {
            return MODEL_MISSING; // the mapper makes 410 Gone a 404 not_found_error too
        }
        if (status == 408 || status >= 500 || error.type() == ErrorType.API || error.type() == ErrorType.TIMEOUT
                || error.type() == ErrorType.OVERLOADED) {
            return TRANSIENT;
        }
        if (UpstreamErrorMapper.contextOverflow(error).isPresent()) {
            return CONTEXT_OVERFLOW;
        }
        return FINAL;
    }

    public boolean retry() {
        return retry;
    }

    public boolean breakerFailure() {
        return breakerFailure;
    }

    boolean fallback() {
        return fallback;
    }
}
