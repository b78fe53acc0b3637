package dev.ncp.host.pump;

import dev.ncp.api.stream.StreamEvent;
import dev.ncp.host.error.ApiError;
import java.util.function.Consumer;

/**
 * Where an answer's finished events go: the SSE writer ({@code stream: true}) or the message aggregator
 * ({@code stream: false}). Called from one thread at a time.
 */
public interface EventSink extends Consumer<StreamEvent> {

    /**
     * Everything the upstream has delivered so far has been handed over; the pump is about to wait for more. A
     * sink that merges small deltas writes what it holds now, so merging never delays a byte.
     */
    default void endOfBatch() {
    }

    /**
     * The answer is about to end with an error event for {@code error}. A non-streaming response answers with this
     * error's status and headers ({@code retry-after}), which the error event cannot carry.
     */
    default void failing(ApiError error) {
    }

    /**
     * Nothing was written for a while. A sink that can write something the client ignores (an SSE comment) does,
     * so a client that hung up is noticed by the failed write — Jetty learns of a closed connection only when it
     * writes. Must not count as an event: pings keep their own clock. Decorating sinks must forward it.
     */
    default void keepAlive() {
    }

    /**
     * Whether the content this sink has taken so far can still be taken back ({@link #takeBack}): true only where none
     * of it reached the client — the aggregator of a {@code stream: false} answer, which writes at the end. There a
     * failed attempt may be replaced even after its content began. Decorating sinks must forward it.
     */
    default boolean canTakeBack() {
        return false;
    }

    /**
     * Forgets every event after message_start: the next attempt's content replaces it. Only called when
     * {@link #canTakeBack()} said yes. Decorating sinks must forward it.
     */
    default void takeBack() {
        throw new UnsupportedOperationException("content that reached the client cannot be taken back");
    }
}
