package dev.ncp.host.upstream;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An upstream answer whose status was 2xx: its body, streaming. {@link #close()} may be called from any thread at
 * any time and aborts the exchange at once (a blocked read then fails or ends); closing twice is harmless.
 */
public final class UpstreamResponse implements Closeable {

    private final InputStream body;
    private final Runnable abort;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param abort cancels the exchange (after the body stream is closed); may do nothing */
    public UpstreamResponse(InputStream body, Runnable abort) {
        this.body = body;
        this.abort = abort;
    }

    public InputStream body() {
        return body;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            body.close();
        } catch (IOException ignored) {
            // the exchange is being abandoned; nothing useful to do with a failure to close it
        } finally {
            abort.run();
        }
    }
}
