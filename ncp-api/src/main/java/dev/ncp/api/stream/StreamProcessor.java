package dev.ncp.api.stream;

import org.pf4j.ExtensionPoint;

/**
 * One link of the response chain (Metadata → Text → Tool → Safety → Finalizer, extensible by {@link #order()}).
 * It sees canonical events only — never HTTP or JSON text.
 *
 * <p>A processor is a stateless factory: for every answer the host calls {@link #open} and runs the returned
 * {@link Stage}, which holds that answer's state (a held-back partial tag, a tool call being assembled).
 */
public interface StreamProcessor extends ExtensionPoint {

    /** Well-known positions; plugins slot in between (e.g. {@code TEXT + 10}). */
    int METADATA = 100;
    int TEXT = 200;
    int TOOL = 300;
    int SAFETY = 400;
    int FINALIZER = 1000;

    /** A short name for logs. */
    String name();

    /** Position in the chain: lower runs first (closer to the upstream). */
    int order();

    /** Starts this processor for one answer, or returns {@code null} to leave this answer alone. */
    Stage open(StreamContext context);

    /** The per-answer state machine. */
    interface Stage {

        /** Handles one event, passing zero or more events on through {@code next}. */
        void onEvent(StreamEvent event, Emitter next);

        /** The upstream is finished (normally or not): flush anything held back. */
        default void onComplete(Emitter next) {
        }
    }

    /** Where a stage sends its output: the next link. */
    @FunctionalInterface
    interface Emitter {
        void emit(StreamEvent event);
    }
}
