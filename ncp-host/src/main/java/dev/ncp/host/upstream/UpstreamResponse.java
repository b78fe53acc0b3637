package dev.ncp.host.upstream;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An upstream answer whose status was 2xx: its body, streaming. {@link #close()} may be called from any thread at
 * any time and aborts the exchange at once (a blocked read then fails or ends); closing twice is harmless.
 * {@link #release()} is the end of a whole answer instead: the rest of the body (the end of an HTTP/1.1 chunked
 * body often arrives just after {@code [DONE]}) is read and discarded so the connection goes back to the pool;
 * aborting there would close it, and the next request would pay a new connection (and TLS handshake).
 */
public final class UpstreamResponse implements Closeable {

    private final InputStream body;
    private final Runnable abort;
    private final Runnable release;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param abort cancels the exchange (after the body stream is closed); may do nothing */
    public UpstreamResponse(InputStream body, Runnable abort) {
        this(body, abort, null);
    }

    /**
     * @param release lets a whole answer's exchange end by itself (and aborts it if it does not, soon); null to
     *                close as {@link #close()} does
     */
    public UpstreamResponse(InputStream body, Runnable abort, Runnable release) {
        this.body = body;
        this.abort = abort;
        this.release = release;
    }

    /** The answer is whole: nothing more will be read. Lets the connection be reused; after close, nothing. */
    public void release() {
        if (release == null) {
            close();
        } else if (closed.compareAndSet(false, true)) {
            release.run();
        }
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
