package dev.ncp.plugin.toolcall;

/**
 * Reads one tool call from the text that follows its start marker, as the text arrives. It keeps everything it was
 * fed ({@link #raw()}), so a call that turns out malformed or never ends can be given back as text, unchanged.
 *
 * <p>Subclasses move a cursor through {@link #raw} in {@link #advance()} and never look at a character twice except
 * a terminator's few possible first characters: reading a call is linear in its length, however it is chunked.
 */
abstract class CallReader {

    /** Where the reader stands after taking some text. */
    enum Status { NEED_MORE, COMPLETE, MALFORMED }

    /** Whether the text at the cursor matches a token: yes, not yet known (a proper prefix of it), or no. */
    enum Match { YES, PARTIAL, NO }

    protected final StringBuilder raw = new StringBuilder();
    protected final String start;
    protected int pos;
    /** Where the complete call ended in {@link #raw}; text after it is not part of the call. */
    protected int end = -1;

    /** @param start the start marker; the first text fed begins with it */
    CallReader(String start) {
        this.start = start;
        this.pos = start.length();
    }

    /** Takes the next piece of text and reads as far as it can. */
    final Status feed(CharSequence text) {
        raw.append(text);
        return advance();
    }

    /** Reads from the cursor as far as the text allows. */
    protected abstract Status advance();

    /** The text ended (its block closed): {@link Status#COMPLETE} when the call can stand as it is. */
    abstract Status finish();

    /** The call; only after {@link Status#COMPLETE}. */
    abstract RecoveredCall call();

    /** Every call read, in order: formats that write several calls in one section give them all here. */
    java.util.List<RecoveredCall> calls() {
        return java.util.List.of(call());
    }

    /**
     * The (upstream) tool name once the call is certain enough to go out before it is complete, or null while it
     * is not (and always, for formats read whole). Once announced, a call is never given back as text.
     */
    String announcedTool() {
        return null;
    }

    /** The input JSON pieces completed since the last time this was asked; only once announced. */
    java.util.List<String> takeInput() {
        return java.util.List.of();
    }

    /**
     * Ends an announced call that cannot complete: returns the pieces that close its JSON (the parts read so far
     * stand); {@link #leftover()} then gives the text it could not read, or nothing when {@code textEnded}.
     */
    java.util.List<String> abandon(boolean textEnded) {
        throw new IllegalStateException("only announced calls are abandoned");
    }

    /** The start marker this call opened with. */
    final String start() {
        return start;
    }

    /** Everything fed, start marker included. */
    final String raw() {
        return raw.toString();
    }

    /** The text fed after the end of a complete call. */
    final String leftover() {
        return raw.substring(end);
    }

    // Helpers for subclasses.

    protected final void skipWhitespace() {
        while (pos < raw.length() && Character.isWhitespace(raw.charAt(pos))) {
            pos++;
        }
    }

    protected final boolean atEnd() {
        return pos >= raw.length();
    }

    /** Whether {@code token} is at the cursor; on {@link Match#YES} the cursor moves past it. */
    protected final Match take(String token) {
        int available = raw.length() - pos;
        int n = Math.min(available, token.length());
        for (int i = 0; i < n; i++) {
            if (raw.charAt(pos + i) != token.charAt(i)) {
                return Match.NO;
            }
        }
        if (available < token.length()) {
            return Match.PARTIAL;
        }
        pos += token.length();
        return Match.YES;
    }
}
