package dev.ncp.host.tokens;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The input token count of one request: cheap bounds at once, the exact estimate later.
 *
 * <p>Tokenizing a fresh 100 KB request takes 1–2 ms, more than the rest of its translation. Most decisions made
 * before the upstream call (the {@code max_tokens} clamp, the context-window refusal, the long-context route) come
 * out the same for every count between the bounds, so they need not wait; the exact count runs on a virtual thread
 * meanwhile and is what {@code message_start} reports (the same figure as {@code count_tokens}).
 */
public final class InputTokens {

    private final int lower;
    private final int upper;
    private final CompletableFuture<Integer> exact;

    /** @param exact the exact count, completing later (it must lie within the bounds) */
    public InputTokens(int lower, int upper, CompletableFuture<Integer> exact) {
        this.lower = lower;
        this.upper = upper;
        this.exact = exact;
    }

    /** A count already known exactly. */
    public static InputTokens known(int count) {
        return new InputTokens(count, count, CompletableFuture.completedFuture(count));
    }

    /** At most the exact count (the exact count itself once it is known). */
    public int lower() {
        return exact.isDone() && !exact.isCompletedExceptionally() ? exact.join() : lower;
    }

    /** At least the exact count (the exact count itself once it is known). */
    public int upper() {
        return exact.isDone() && !exact.isCompletedExceptionally() ? exact.join() : upper;
    }

    /** The exact estimate, waiting for it if it is still being counted. */
    public int exact() {
        try {
            return exact.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        return exact.isDone() ? "InputTokens[" + exact.join() + "]" : "InputTokens[" + lower + ".." + upper + "]";
    }
}
