package dev.ncp.host.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * One event on the bus: its sequence number (over the whole process, so a subscriber sees gaps where it dropped),
 * when it happened, which request it belongs to, and the event. Rendered as one flat JSON object
 * ({@code {"seq":..,"at":..,"request_id":..,"type":..,"lane":..,...}}) at most once, when someone reads it.
 */
public final class BusMessage {

    private final long seq;
    private final long atMillis;
    private final String requestId;
    private final String principal;
    private final VisualEvent event;
    private final ObjectWriter writer;
    private volatile String json;

    BusMessage(long seq, long atMillis, String requestId, String principal, VisualEvent event, ObjectWriter writer) {
        this.seq = seq;
        this.atMillis = atMillis;
        this.requestId = requestId;
        this.principal = principal;
        this.event = event;
        this.writer = writer;
    }

    public long seq() {
        return seq;
    }

    public long atMillis() {
        return atMillis;
    }

    public String requestId() {
        return requestId;
    }

    /**
     * The id of the principal whose request this event belongs to; null for what belongs to no one request (a
     * breaker's change), which only operators see. Not part of the JSON: the {@code received} event names it.
     */
    public String principal() {
        return principal;
    }

    public VisualEvent event() {
        return event;
    }

    /** The compact JSON sent to websocket subscribers and in the SSE side channel. */
    public String json() {
        String j = json;
        if (j == null) {
            try {
                j = writer.writeValueAsString(new Envelope(seq, atMillis, requestId, event));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a visual event always serializes: " + event, e);
            }
            json = j;
        }
        return j;
    }

    /** The wire shape: the envelope's fields, then the event's own, in one object. */
    private record Envelope(long seq, long at, String requestId,
                            @com.fasterxml.jackson.annotation.JsonUnwrapped VisualEvent event) {
    }
}
