package dev.ncp.host.processors;

import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.stream.StreamContext;
import dev.ncp.api.stream.StreamEvent.ContentBlockDelta;
import dev.ncp.api.stream.StreamEvent.ContentBlockStart;
import dev.ncp.api.stream.StreamEvent.ContentBlockStop;
import dev.ncp.api.stream.StreamEvent.TextBlock;
import dev.ncp.api.stream.StreamEvent.TextDelta;
import dev.ncp.api.stream.StreamEvent.ThinkingBlock;
import dev.ncp.api.stream.StreamEvent.ThinkingDelta;
import dev.ncp.api.stream.StreamEvent;
import dev.ncp.api.stream.StreamProcessor;

/**
 * Reasoning models that write their reasoning inline ({@code <think>...</think>} at the start of the content, as
 * Nemotron and Qwen3 do) get a thinking block, then a text block, as if the server had parsed it.
 *
 * <p>Only a {@code <think>} that opens the answer (after optional whitespace) counts: a tag later in the text is
 * the model talking about tags and stays text. Tags split across deltas at any offset never leak: text is held
 * back only while it could still be the start of a tag (leading whitespace plus at most six characters, or at
 * most seven of {@code </think>}). Whitespace right after each tag is dropped, as Anthropic's blocks have none.
 *
 * <p>Chat templates that open {@code <think>} for the model (DeepSeek R1-0528, Qwen3 thinking, ...) make it write
 * only the closing tag: "reasoning...{@code </think>}answer". When thinking is on for the request (asked for, or
 * the model always reasons) and no thinking block came from a reasoning field, content that does not open with
 * {@code <think>} is held, up to {@link #MAX_TENTATIVE} characters, waiting for a bare {@code </think>}: found, the
 * text before it is thinking; not found (the block ended, or the hold is full), it is text. A bare
 * {@code </think>} after a full hold is dropped, so the tag never leaks either way. Results depend only on the
 * text, never on how it was cut.
 *
 * <p>Enabled for models whose capabilities say {@code reasoning}; model adapters will decide more precisely.
 */
public final class ThinkTagProcessor implements StreamProcessor {

    @Override
    public String name() {
        return "think-tags";
    }

    @Override
    public int order() {
        return TEXT;
    }

    /** The most text held while waiting for a bare {@code </think>}: bounds memory per answer. */
    static final int MAX_TENTATIVE = 4096;

    @Override
    public Stage open(StreamContext context) {
        ModelInfo model = context.request().model();
        if (model == null || !model.capabilities().reasoning()) {
            return null;
        }
        boolean thinkingOn = context.request().thinking().wanted() || "always-on".equals(model.reasoningStyle());
        return new ThinkTagStage(context, thinkingOn);
    }

    private static final class ThinkTagStage implements Stage {

        private static final String OPEN = "<think>";
        private static final String CLOSE = "</think>";

        private enum Mode { LEADING, TENTATIVE, THINKING, AFTER_THINKING, PLAIN }

        private final StreamContext context;
        private final StringBuilder held = new StringBuilder();
        private Mode mode = Mode.LEADING;
        private boolean skipWhitespace;
        /** The upstream text block being rewritten, or -1. */
        private int inKey = -1;
        /** The block this stage has open downstream, or -1. */
        private int outKey = -1;
        private boolean outIsThinking;
        /** Whether content may open with reasoning closed by a bare {@code </think>} (see the class comment). */
        private boolean implicitOpen;
        /** After a full tentative hold went out as text: the first bare {@code </think>} is still dropped. */
        private boolean dropBareClose;

        ThinkTagStage(StreamContext context, boolean thinkingOn) {
            this.context = context;
            this.implicitOpen = thinkingOn;
        }

        @Override
        public void onEvent(StreamEvent event, Emitter next) {
            if (inKey >= 0) {
                if (event instanceof ContentBlockDelta d && d.index() == inKey && d.delta() instanceof TextDelta t) {
                    scan(t.text(), next);
                    return;
                }
                endInputBlock(next); // its stop, or an error or end that arrived before the stop
                if (event instanceof ContentBlockStop s && s.index() == inKey) {
                    inKey = -1;
                    return;
                }
                inKey = -1;
            }
            if (event instanceof ContentBlockStart s && s.block() instanceof ThinkingBlock) {
                implicitOpen = false; // the server parsed the reasoning: the content is the answer
            }
            if (mode != Mode.PLAIN && event instanceof ContentBlockStart s && s.block() instanceof TextBlock) {
                inKey = s.index(); // the blocks this text becomes are opened as content arrives
                return;
            }
            next.emit(event);
        }

        @Override
        public void onComplete(Emitter next) {
            if (inKey >= 0) {
                endInputBlock(next);
                inKey = -1;
            }
        }

        private void scan(String text, Emitter next) {
            String buffer = held.isEmpty() ? text : held.append(text).toString();
            held.setLength(0);
            while (!buffer.isEmpty()) {
                switch (mode) {
                    case LEADING -> {
                        String rest = buffer.stripLeading();
                        if (rest.startsWith(OPEN)) {
                            mode = Mode.THINKING;
                            skipWhitespace = true;
                            buffer = rest.substring(OPEN.length());
                        } else if (rest.isEmpty() || OPEN.startsWith(rest)) {
                            held.append(buffer); // could still become "<think>"
                            return;
                        } else {
                            mode = implicitOpen ? Mode.TENTATIVE : Mode.PLAIN;
                        }
                    }
                    case TENTATIVE -> {
                        // counted only when it ends within the hold, so the outcome never depends on the cuts
                        int close = buffer.indexOf(CLOSE);
                        if (close >= 0 && close + CLOSE.length() <= MAX_TENTATIVE) {
                            emit(buffer.substring(0, close).stripLeading(), true, next);
                            closeOut(next);
                            mode = Mode.AFTER_THINKING;
                            buffer = buffer.substring(close + CLOSE.length());
                        } else if (buffer.length() >= MAX_TENTATIVE) {
                            mode = Mode.PLAIN;
                            dropBareClose = true;
                        } else {
                            held.append(buffer);
                            return;
                        }
                    }
                    case THINKING -> {
                        buffer = skipWhitespace ? stripLeadingOnce(buffer) : buffer;
                        int close = buffer.indexOf(CLOSE);
                        if (close >= 0) {
                            emit(buffer.substring(0, close), true, next);
                            closeOut(next);
                            mode = Mode.AFTER_THINKING;
                            buffer = buffer.substring(close + CLOSE.length());
                        } else {
                            int keep = partialTagSuffix(buffer);
                            emit(buffer.substring(0, buffer.length() - keep), true, next);
                            held.append(buffer, buffer.length() - keep, buffer.length());
                            return;
                        }
                    }
                    case AFTER_THINKING -> {
                        buffer = buffer.stripLeading();
                        if (!buffer.isEmpty()) {
                            mode = Mode.PLAIN;
                        }
                    }
                    case PLAIN -> {
                        if (!dropBareClose) {
                            emit(buffer, false, next);
                            return;
                        }
                        int close = buffer.indexOf(CLOSE);
                        if (close >= 0) {
                            emit(buffer.substring(0, close), false, next);
                            dropBareClose = false;
                            mode = Mode.AFTER_THINKING;
                            buffer = buffer.substring(close + CLOSE.length());
                        } else {
                            int keep = partialTagSuffix(buffer);
                            emit(buffer.substring(0, buffer.length() - keep), false, next);
                            held.append(buffer, buffer.length() - keep, buffer.length());
                            return;
                        }
                    }
                }
            }
        }

        private String stripLeadingOnce(String buffer) {
            String stripped = buffer.stripLeading();
            skipWhitespace = stripped.isEmpty();
            return stripped;
        }

        /** The input text block ended: what was held back is content after all. */
        private void endInputBlock(Emitter next) {
            String rest = held.toString();
            held.setLength(0);
            if (mode == Mode.THINKING) {
                emit(rest, true, next);
            } else if (!rest.isBlank()) {
                mode = Mode.PLAIN;
                emit(rest, false, next);
            }
            closeOut(next);
        }

        private void emit(String text, boolean thinking, Emitter next) {
            if (text.isEmpty()) {
                return;
            }
            if (outKey >= 0 && outIsThinking != thinking) {
                closeOut(next);
            }
            if (outKey < 0) {
                outKey = context.newBlockKey();
                outIsThinking = thinking;
                next.emit(new ContentBlockStart(outKey, thinking ? new ThinkingBlock() : new TextBlock()));
            }
            next.emit(new ContentBlockDelta(outKey, thinking ? new ThinkingDelta(text) : new TextDelta(text)));
        }

        private void closeOut(Emitter next) {
            if (outKey >= 0) {
                next.emit(new ContentBlockStop(outKey));
                outKey = -1;
            }
        }

        /** The length of the longest end of {@code text} that is a proper start of {@code </think>}. */
        private static int partialTagSuffix(String text) {
            for (int n = Math.min(CLOSE.length() - 1, text.length()); n > 0; n--) {
                if (text.regionMatches(text.length() - n, CLOSE, 0, n)) {
                    return n;
                }
            }
            return 0;
        }
    }
}
