package dev.ncp.host.sse;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.stream.StreamEvent.ContentBlockDelta;
import dev.ncp.api.stream.StreamEvent.TextDelta;
import dev.ncp.api.stream.StreamEvent.ThinkingDelta;
import dev.ncp.api.stream.StreamEvent;
import dev.ncp.host.pump.EventSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The only place events become bytes for a streaming client. Each event is one frame,
 * {@code event: <type>\nid: <n>\ndata: <json>\n\n}, assembled whole in memory and written in one call. Ids count 1,
 * 2, 3... over every event of the answer, pings included: every event carries an {@code id:}, and an SSE
 * client's last-event-id then always names the last frame it saw. (Keep-alive comments and the visualization side
 * channel are not events of the message and carry none.)
 *
 * <p>Frames are flushed at {@link #endOfBatch()}, which the pump calls before it waits for the upstream again (and
 * the watchdog after a ping), so whenever ncp stops writing the client has every frame whole. The events of one
 * upstream read thus go out in one flush rather than one each: a flush is a pass through Jetty and a write system
 * call, the largest cost per event in a load run's profile. A keep-alive is flushed at once.
 *
 * <p>Delta merging ({@code R2_TEXT_DELTA_CHARS}, 0 = off): consecutive text or thinking deltas of the same block
 * are merged while the result stays within the limit — but only deltas that are already here: what is held is
 * written at {@link #endOfBatch()}. A single delta longer than the limit goes out whole; splitting it would only
 * add frames.
 *
 * <p>Write failures (the client went away) surface as {@link UncheckedIOException}.
 */
public final class SseWriter implements EventSink {

    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    /** The event type of the visualization side channel. */
    public static final String VISUALIZATION_EVENT = "ncp_visualization";

    private final OutputStream out;
    private final ObjectMapper json;
    private final int mergeLimit;
    private final ByteArrayOutputStream frame = new ByteArrayOutputStream(512);
    private long nextId = 1;
    /** A text or thinking delta held for merging, or null. */
    private ContentBlockDelta held;
    private StringBuilder heldText;
    /** Whether frames were written since the last flush. */
    private boolean unflushed;

    /**
     * @param json       the host's mapper (its factory writes the JSON)
     * @param mergeLimit the most characters a merged delta may have; 0 turns merging off
     */
    public SseWriter(OutputStream out, ObjectMapper json, int mergeLimit) {
        this.out = out;
        this.json = json;
        this.mergeLimit = mergeLimit;
    }

    @Override
    public void accept(StreamEvent event) {
        if (mergeLimit > 0 && event instanceof ContentBlockDelta d && textOf(d) != null) {
            hold(d);
            return;
        }
        writeHeld();
        write(event);
    }

    @Override
    public void endOfBatch() {
        writeHeld();
        if (unflushed) {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("could not write to the client", e);
            }
            unflushed = false;
        }
    }

    /**
     * An SSE comment line, which every SSE parser (the Anthropic SDKs' included) skips: it only makes a client that
     * hung up visible, as writing to its closed connection fails.
     */
    @Override
    public void keepAlive() {
        writeHeld();
        try {
            out.write(KEEP_ALIVE);
            out.flush();
            unflushed = false;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write to the client", e);
        }
    }

    private void hold(ContentBlockDelta delta) {
        String text = textOf(delta);
        if (held != null && held.index() == delta.index() && held.delta().getClass() == delta.delta().getClass()
                && heldText.length() + text.length() <= mergeLimit) {
            heldText.append(text);
            return;
        }
        writeHeld();
        held = delta;
        heldText = new StringBuilder(text);
    }

    private void writeHeld() {
        if (held == null) {
            return;
        }
        String text = heldText.toString();
        StreamEvent.Delta merged = held.delta() instanceof TextDelta ? new TextDelta(text) : new ThinkingDelta(text);
        int index = held.index();
        held = null;
        heldText = null;
        write(new ContentBlockDelta(index, merged));
    }

    /**
     * Writes one {@code ncp_visualization} side-channel frame ({@code R2_STREAM_VISUALIZATION}): a non-Anthropic
     * event type, which Anthropic clients skip. It carries no id, as it is not part of the message; deltas held for
     * merging go out first, so the frames stay in the order they happened. Flushed with the batch, like events.
     */
    public void writeVisualization(String compactJson) {
        writeHeld();
        try {
            frame.reset();
            frame.write(("event: " + VISUALIZATION_EVENT + "\ndata: ").getBytes(StandardCharsets.US_ASCII));
            frame.write(compactJson.getBytes(StandardCharsets.UTF_8));
            frame.write('\n');
            frame.write('\n');
            frame.writeTo(out);
            unflushed = true;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write to the client", e);
        }
    }

    private static String textOf(ContentBlockDelta delta) {
        return switch (delta.delta()) {
            case TextDelta t -> t.text();
            case ThinkingDelta t -> t.thinking();
            default -> null;
        };
    }

    private void write(StreamEvent event) {
        try {
            frame.reset();
            frame.write(("event: " + AnthropicJson.eventName(event) + "\nid: " + nextId++ + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
            frame.write("data: ".getBytes(StandardCharsets.US_ASCII));
            try (JsonGenerator g = json.createGenerator(frame)) {
                AnthropicJson.writeEvent(g, event);
            }
            frame.write('\n');
            frame.write('\n');
            frame.writeTo(out);
            unflushed = true;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write to the client", e);
        }
    }
}
