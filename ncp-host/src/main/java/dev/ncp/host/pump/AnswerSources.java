package dev.ncp.host.pump;

import dev.ncp.host.error.ApiError;

/**
 * Where the pump gets its upstream attempts from: the first, and another whenever one fails before any content
 * reached the client (retries, fallbacks — see {@code dev.ncp.host.resilience}). The pump calls {@link #first()}
 * once, then {@link #next} zero or more times, then {@link #ended} once. All calls come from the pump's thread.
 */
public interface AnswerSources {

    /** The first attempt. May throw an {@link ApiError} (no model can be called), before anything was written. */
    AnswerSource first();

    /**
     * The attempt from {@code failed} failed with {@code error} and nothing but message_start reached the client.
     * Returns the next attempt's source — after waiting, if it wants to back off; an interrupt must end the wait
     * promptly — or throws the {@link ApiError} the client should get.
     */
    AnswerSource next(AnswerSource failed, ApiError error);

    /**
     * The answer ended with {@code last}'s attempt: {@code delivered} says whether content reached the client;
     * {@code error} is the error the client got, or null.
     */
    default void ended(AnswerSource last, boolean delivered, ApiError error) {
    }

    /** A single attempt, whose failure is the answer's. */
    static AnswerSources of(AnswerSource only) {
        return new AnswerSources() {
            @Override
            public AnswerSource first() {
                return only;
            }

            @Override
            public AnswerSource next(AnswerSource failed, ApiError error) {
                throw error;
            }
        };
    }
}
