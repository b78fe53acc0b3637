package dev.ncp.host.response;

/**
 * Watches a JSON text arrive in fragments and tells when its top-level object (or array) has closed, holding
 * nothing but a depth and two flags. It lets the tool-call streamer hand the live block to the next parallel call
 * as soon as the current call's arguments are whole, instead of waiting for the end of the answer.
 *
 * <p>It does not validate: a text that does not start with {@code {} or {@code [} is simply never "complete".
 */
final class JsonCompletionTracker {

    private int depth;
    private boolean started;
    private boolean complete;
    private boolean notAContainer;
    private boolean inString;
    private boolean escaped;

    void feed(CharSequence fragment) {
        for (int i = 0; i < fragment.length(); i++) {
            accept(fragment.charAt(i));
        }
    }

    /** Whether the top-level object or array has closed. */
    boolean complete() {
        return complete;
    }

    private void accept(char c) {
        if (complete || notAContainer) {
            return;
        }
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                inString = false;
            }
            return;
        }
        switch (c) {
            case ' ', '\t', '\n', '\r' -> { }
            case '{', '[' -> {
                started = true;
                depth++;
            }
            case '}', ']' -> {
                depth--;
                complete = started && depth == 0;
                notAContainer = !started;
            }
            case '"' -> {
                inString = true;
                notAContainer = !started;
            }
            default -> notAContainer = !started;
        }
    }
}
