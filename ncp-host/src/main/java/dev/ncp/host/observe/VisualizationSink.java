package dev.ncp.host.observe;

import dev.ncp.api.stream.StreamEvent.ContentBlockDelta;
import dev.ncp.api.stream.StreamEvent;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.pump.EventSink;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A tee in front of the real sink (SSE writer or aggregator): it tells the {@link RequestTrace} about every
 * canonical event and passes the event on unchanged. Observing never alters the answer.
 *
 * <p>With the side channel on, the trace's events are written between the answer's frames as
 * {@code ncp_visualization} events: never before message_start (clients expect it first), and the finish event
 * just before message_stop or the error event (some clients stop reading there).
 *
 * <p>Called one thread at a time (the pump's lock), so its own state needs no locking.
 */
final class VisualizationSink implements EventSink {

    /** What a block has carried so far. */
    private record Tally(String kind, long chars) {
    }

    private final RequestTrace trace;
    private final EventSink target;
    private final Consumer<String> sideChannel;
    private final Map<Integer, Tally> blocks = new HashMap<>();
    private boolean started;

    /** @param sideChannel where side-channel events go, or null when the side channel is off */
    VisualizationSink(RequestTrace trace, EventSink target, Consumer<String> sideChannel) {
        this.trace = trace;
        this.target = target;
        this.sideChannel = sideChannel;
    }

    @Override
    public void accept(StreamEvent event) {
        switch (event) {
            case StreamEvent.MessageStart s -> {
                forward(s);
                started = true;
                flushSideChannel();
                return;
            }
            case StreamEvent.ContentBlockStart s -> {
                trace.contentStarted(s.index(), s.block());
                blocks.put(s.index(), new Tally(RequestTrace.kindOf(s.block()), 0));
            }
            case ContentBlockDelta d -> {
                trace.firstToken();
                blocks.computeIfPresent(d.index(), (i, t) -> new Tally(t.kind(), t.chars() + chars(d)));
            }
            case StreamEvent.ContentBlockStop s -> {
                Tally t = blocks.remove(s.index());
                trace.blockStopped(s.index(), t == null ? "unknown" : t.kind(), t == null ? 0 : t.chars());
            }
            case StreamEvent.MessageDelta d -> trace.usage(d.usage(), d.stopReason());
            case StreamEvent.MessageStop m -> {
                trace.answerEnded();
                flushSideChannel();
            }
            case StreamEvent.Error e -> {
                trace.answerEnded();
                flushSideChannel();
            }
            case StreamEvent.Ping p -> {
            }
        }
        forward(event);
        if (!(event instanceof StreamEvent.MessageStop || event instanceof StreamEvent.Error)) {
            flushSideChannel();
        }
    }

    @Override
    public void endOfBatch() {
        flushSideChannel();
        try {
            target.endOfBatch();
        } catch (RuntimeException clientGone) {
            trace.clientGone();
            throw clientGone;
        }
    }

    @Override
    public void failing(ApiError error) {
        trace.failing(error);
        target.failing(error);
    }

    @Override
    public boolean canTakeBack() {
        return target.canTakeBack();
    }

    /** The blocks begun so far are gone; the trace keeps the failed attempt as its resilience events recorded it. */
    @Override
    public void takeBack() {
        blocks.clear();
        target.takeBack();
    }

    @Override
    public void keepAlive() {
        try {
            target.keepAlive();
        } catch (RuntimeException clientGone) {
            trace.clientGone();
            throw clientGone;
        }
    }

    private void forward(StreamEvent event) {
        try {
            target.accept(event);
        } catch (RuntimeException clientGone) {
            trace.clientGone();
            throw clientGone;
        }
    }

    private void flushSideChannel() {
        if (sideChannel == null || !started) {
            return;
        }
        try {
            trace.drainSideChannel(sideChannel);
        } catch (RuntimeException clientGone) {
            trace.clientGone();
            throw clientGone;
        }
    }

    private static long chars(ContentBlockDelta d) {
        return switch (d.delta()) {
            case StreamEvent.TextDelta t -> t.text().length();
            case StreamEvent.ThinkingDelta t -> t.thinking().length();
            case StreamEvent.InputJsonDelta j -> j.partialJson().length();
            case StreamEvent.SignatureDelta s -> 0;
        };
    }
}
