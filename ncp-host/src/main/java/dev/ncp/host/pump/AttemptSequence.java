package dev.ncp.host.pump;

import dev.ncp.host.error.ApiError;

/**
 * Where the pump gets its upstream attempts from: the first, and another whenever one fails before any content
 * reached the client (retries, fallbacks — see {@code dev.ncp.host.resilience}). The pump calls {@link #first()}
 * once, then {@link #next} zero or more times, then {@link #ended} once. All calls come from the pump's thread.
 */
public interface AttemptSequence {

    /** The first attempt. May throw an {@link ApiError} (no model can be called), before anything was written. */
    Attempt first();

    /**
     * {@code failed} failed with {@code error} and nothing but message_start reached the client. Returns the next
     * attempt — after waiting, if it wants to back off; an interrupt must end the wait promptly — or throws the
     * {@link ApiError} the client should get.
     */
    Attempt next(Attempt failed, ApiError error);

    /**
     * The answer ended with {@code last}: {@code delivered} says whether content reached the client; {@code error}
     * is the error the client got, or null.
     */
    default void ended(Attempt last, boolean delivered, ApiError error) {
    }

    /** A single attempt, whose failure is the answer's. */
    static AttemptSequence of(Attempt only) {
        return new AttemptSequence() {
            @Override
            public Attempt first() {
                return only;
            }

            @Override
            public Attempt next(Attempt failed, ApiError error) {
                throw error;
            }
        };
    }
}
