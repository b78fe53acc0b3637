package dev.ncp.host.messages;

import dev.ncp.api.stream.StreamEvent;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.pump.EventSink;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A {@code stream: false} answer's sink that fails like a write to a closed connection once the client hung up, so
 * the pump abandons the upstream as it does for a stream whose client left: on the next event, or on the
 * watchdog's next keep-alive while the upstream is silent (within a quarter of a second).
 */
record HangUpAwareSink(EventSink target, ClientHangUpWatch watch) implements EventSink {

    @Override
    public void accept(StreamEvent event) {
        checkClient();
        target.accept(event);
    }

    @Override
    public void endOfBatch() {
        target.endOfBatch();
    }

    @Override
    public void failing(ApiError error) {
        target.failing(error);
    }

    @Override
    public boolean canTakeBack() {
        return target.canTakeBack();
    }

    @Override
    public void takeBack() {
        target.takeBack();
    }

    @Override
    public void keepAlive() {
        checkClient();
        target.keepAlive();
    }

    private void checkClient() {
        if (watch.hungUp()) {
            throw new UncheckedIOException(new IOException("the client closed its connection"));
        }
    }
}
