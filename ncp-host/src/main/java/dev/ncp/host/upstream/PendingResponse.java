package dev.ncp.host.upstream;

import java.io.InputStream;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * An upstream request already on its way whose answer has not been waited for yet. Sending first and waiting later
 * lets the caller do its own work (an answer's message_start, which waits for the exact input token count) while
 * the upstream reads the request. Exactly one of {@link #awaitHead()} and {@link #abandon()} is called.
 */
public interface PendingResponse {

    /**
     * Waits for the response headers, as {@link UpstreamClient#open} does: a 2xx answer becomes the response, any
     * other outcome an {@link dev.ncp.host.error.ApiError}; an interrupt aborts the request and returns promptly.
     */
    UpstreamResponse awaitHead();

    /** Nobody will read the answer (its client left before it began): the request is aborted. */
    void abandon();

    /**
     * This request, observed: {@code headFailed} learns of a failure to get the answer's head before it goes on to the
     * caller, {@code body} may wrap the answer's body, and {@code ended} runs once the answer is over — its response
     * closed or released, or the request abandoned.
     */
    default PendingResponse observed(Consumer<Throwable> headFailed, UnaryOperator<InputStream> body, Runnable ended) {
        PendingResponse pending = this;
        return new PendingResponse() {
            @Override
            public UpstreamResponse awaitHead() {
                UpstreamResponse response;
                try {
                    response = pending.awaitHead();
                } catch (RuntimeException | Error e) {
                    headFailed.accept(e);
                    throw e;
                }
                return new UpstreamResponse(body.apply(response.body()), () -> {
                    try {
                        response.close();
                    } finally {
                        ended.run();
                    }
                }, () -> {
                    try {
                        response.release();
                    } finally {
                        ended.run();
                    }
                });
            }

            @Override
            public void abandon() {
                try {
                    pending.abandon();
                } finally {
                    ended.run();
                }
            }
        };
    }

    /** A request that is sent only when its answer is waited for (for calls that cannot send ahead). */
    static PendingResponse deferred(java.util.function.Supplier<UpstreamResponse> open) {
        return new PendingResponse() {
            @Override
            public UpstreamResponse awaitHead() {
                return open.get();
            }

            @Override
            public void abandon() {
                // nothing was sent
            }
        };
    }
}
