package dev.ncp.plugin.toolcall;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one text block, as it streams, into plain text and tool calls written in a {@link ToolCallSyntax}.
 *
 * <p>Text goes out as soon as it cannot be part of a marker: only a possible partial marker at the end of what
 * arrived is held back, with the whitespace before it (whitespace right before a call, and right after one, is the
 * call's layout and is dropped). Once a marker opens a call, the call's text goes to a {@link CallReader}. Formats
 * whose reader announces calls (Qwen's XML: once the function names a declared tool) go out incrementally — the
 * call's start, then each input piece as the reader completes it, then its end — and are never given back: one
 * that goes wrong is closed with what was read (see {@link CallReader#abandon}). Other calls are held until
 * complete and go out whole. A call that is malformed, or still open when the text ends, before it was announced
 * is given back as the text it was (a start that is a special token is dropped), and scanning goes on after its
 * start marker, so a later call in it is still found. Stray tokens are removed wherever they appear.
 *
 * <p>Feeding the same text in any pieces gives the same text (possibly in other pieces) and the same calls.
 */
final class TextToolCallScanner {

    /** Where the scanner's results go, in order: text, and calls as a start, input pieces and an end. */
    interface Output {
        void text(String text);

        /** A call opens: its (upstream) tool name and the id the model wrote, or null. */
        void callStart(String tool, String upstreamId);

        /** The next piece of the open call's input JSON. */
        void callInput(String json);

        /** The open call is complete: its pieces concatenate to exactly one JSON object. */
        void callEnd();

        /** A call read whole. */
        default void call(RecoveredCall call) {
            callStart(call.tool(), call.upstreamId());
            call.inputJson().forEach(this::callInput);
            callEnd();
        }
    }

    /**
     * At most this much whitespace is held back before a possible call: a model stuck emitting newlines must not
     * make every piece rescan a growing buffer. Longer runs go out; only the last part is dropped before a call.
     */
    static final int MAX_HELD_WHITESPACE = 256;

    private final ToolCallSyntax syntax;
    private final ToolCatalog tools;
    private final List<String> starts;
    private final List<String> markers;
    private final StringBuilder held = new StringBuilder();
    private CallReader reader;
    /** Whether the open call went out as a start already. */
    private boolean announced;
    /** The whitespace held back before the open call's start: text again if the call comes to nothing. */
    private String beforeCall = "";
    private boolean afterCall;

    /** With no tools, nothing can be called: only stray tokens are removed. */
    TextToolCallScanner(ToolCallSyntax syntax, ToolCatalog tools) {
        this.syntax = syntax;
        this.tools = tools;
        this.starts = tools.isEmpty() ? List.of() : syntax.callStarts();
        var all = new ArrayList<String>(starts);
        all.addAll(syntax.strayTokens());
        this.markers = List.copyOf(all);
    }

    /** Takes the next piece of the block's text. */
    void feed(String text, Output out) {
        String rest = text;
        while (rest != null) {
            rest = reader == null ? scanText(rest, out) : readCall(rest, out);
        }
    }

    /** The block ended: an open call is given back as text, then whatever was held goes out. */
    void finish(Output out) {
        while (reader != null) {
            CallReader ending = reader;
            String rest = ending.finish() == CallReader.Status.COMPLETE
                    ? complete(ending, out) : giveBack(ending, out, true);
            feed(rest, out);
        }
        String rest = held.toString();
        held.setLength(0);
        out.text(afterCall ? rest.stripLeading() : rest);
        afterCall = false;
    }

    /**
     * Scans text outside calls. Returns the text from a call's start marker on (a reader is then open for it), or
     * null when everything was sent or held.
     */
    private String scanText(String text, Output out) {
        String buffer = held.isEmpty() ? text : held.append(text).toString();
        held.setLength(0);
        while (true) {
            if (afterCall) {
                buffer = buffer.stripLeading();
                if (buffer.isEmpty()) {
                    return null;
                }
                afterCall = false;
            }
            int at = -1;
            String marker = null;
            for (String m : markers) {
                int i = buffer.indexOf(m);
                if (i >= 0 && (at < 0 || i < at || (i == at && m.length() > marker.length()))) {
                    at = i;
                    marker = m;
                }
            }
            if (marker == null) {
                int cut = withoutTrailingWhitespace(buffer, buffer.length() - partialMarkerAtEnd(buffer));
                out.text(buffer.substring(0, cut));
                held.append(buffer, cut, buffer.length());
                return null;
            }
            if (starts.contains(marker)) {
                int cut = withoutTrailingWhitespace(buffer, at);
                out.text(buffer.substring(0, cut));
                beforeCall = buffer.substring(cut, at);
                reader = syntax.reader(marker, tools);
                return buffer.substring(at);
            }
            out.text(buffer.substring(0, at)); // a stray token: dropped
            buffer = buffer.substring(at + marker.length());
        }
    }

    /** Feeds an open call. Returns the text after it once it is complete or given back, else null. */
    private String readCall(String text, Output out) {
        CallReader.Status status = reader.feed(text);
        announce(out);
        return switch (status) {
            case NEED_MORE -> null;
            case COMPLETE -> complete(reader, out);
            case MALFORMED -> giveBack(reader, out);
        };
    }

    /** Sends the open call's start once its reader announces it, and the input pieces it has completed since. */
    private void announce(Output out) {
        if (!announced && reader.announcedTool() != null) {
            out.callStart(reader.announcedTool(), null);
            announced = true;
            beforeCall = "";
        }
        if (announced) {
            reader.takeInput().forEach(out::callInput);
        }
    }

    private String complete(CallReader call, Output out) {
        reader = null;
        beforeCall = "";
        if (announced) {
            announced = false;
            call.takeInput().forEach(out::callInput);
            RecoveredCall whole = call.call();
            out.callInput(whole.inputJson().get(whole.inputJson().size() - 1)); // the closing piece
            out.callEnd();
        } else {
            call.calls().forEach(out::call);
        }
        afterCall = true;
        return call.leftover();
    }

    /** Not a call after all: its start becomes text again (unless it is a special token); scanning resumes after it. */
    private String giveBack(CallReader call, Output out) {
        return giveBack(call, out, false);
    }

    /**
     * As {@link #giveBack(CallReader, Output)}; an announced call is closed instead, with what was read, and the
     * text after that is scanned on (none when {@code textEnded}).
     */
    private String giveBack(CallReader call, Output out, boolean textEnded) {
        if (announced) {
            announced = false;
            reader = null;
            call.abandon(textEnded).forEach(out::callInput);
            out.callEnd();
            afterCall = true;
            return call.leftover();
        }
        reader = null;
        out.text(beforeCall + (syntax.startIsToken(call.start()) ? "" : call.start()));
        beforeCall = "";
        return call.raw().substring(call.start().length());
    }

    /** The length of the longest end of {@code text} that is a proper start of a marker. */
    private int partialMarkerAtEnd(String text) {
        int longest = 0;
        for (String m : markers) {
            for (int n = Math.min(m.length() - 1, text.length()); n > longest; n--) {
                if (text.regionMatches(text.length() - n, m, 0, n)) {
                    longest = n;
                    break;
                }
            }
        }
        return longest;
    }

    /** Moves {@code cut} back over whitespace (up to a limit), when a call may follow: that whitespace is held. */
    private int withoutTrailingWhitespace(String text, int cut) {
        if (starts.isEmpty()) {
            return cut;
        }
        int limit = Math.max(0, cut - MAX_HELD_WHITESPACE);
        while (cut > limit && Character.isWhitespace(text.charAt(cut - 1))) {
            cut--;
        }
        return cut;
    }
}
