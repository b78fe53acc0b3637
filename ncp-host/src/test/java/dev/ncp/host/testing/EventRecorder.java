package dev.ncp.host.testing;

import dev.ncp.api.stream.StreamEvent;
import dev.ncp.host.pump.EventSink;
import java.util.ArrayList;
import java.util.List;

/** A sink that keeps every event (and marks batch ends) for assertions. Not thread-safe. */
public final class EventRecorder implements EventSink {

    private final List<StreamEvent> events = new ArrayList<>();
    private int batches;

    @Override
    public void accept(StreamEvent event) {
        events.add(event);
    }

    @Override
    public void endOfBatch() {
        batches++;
    }

    public List<StreamEvent> events() {
        return List.copyOf(events);
    }

    public int batches() {
        return batches;
    }

    /** The events since the last call of this method. */
    public List<StreamEvent> drain() {
        var copy = List.copyOf(events);
        events.clear();
        return copy;
    }
}
