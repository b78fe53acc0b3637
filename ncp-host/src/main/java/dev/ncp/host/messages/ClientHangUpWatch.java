package dev.ncp.host.messages;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Notices that the client of a request whose body has been read closed its connection, while ncp writes nothing to
 * it ({@code stream: false} answers write only at the end). Jetty does not read an HTTP/1 connection while its
 * request is handled, so a hang-up would stay unseen until the final write; this watch asks the connection's
 * endpoint to call back when it becomes readable and reads: end of stream or a reset means the client is gone.
 * Bytes a pipelining client sent instead are handed back to the connection, which parses them after this answer,
 * and the watch ends (that client is evidently there). Other transports (HTTP/2) fail the request themselves when
 * the client resets it, which a failure listener catches.
 *
 * <p>{@link #close()} must run before the response is written: Jetty aborts a connection that is still
 * read-interested when its response completes.
 */
public final class ClientHangUpWatch implements AutoCloseable {

    private final AbstractEndPoint endPoint;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private final Callback onReadable = Callback.from(this::readable, this::readFailed);
    private volatile boolean hungUp;
    private boolean closed;

    private ClientHangUpWatch(AbstractEndPoint endPoint, Connection connection) {
        this.endPoint = endPoint;
        this.connection = connection;
    }

    /** Starts watching {@code ctx}'s connection; call only once the request body has been read whole. */
    public static ClientHangUpWatch start(Context ctx) {
        Request request;
        try {
            request = ServletContextRequest.getServletContextRequest(ctx.req());
        } catch (IllegalStateException notJetty) {
            return new ClientHangUpWatch(null, null);
        }
        Connection connection = request.getConnectionMetaData().getConnection();
        boolean http1 = request.getConnectionMetaData().getHttpVersion().getVersion()
                <= HttpVersion.HTTP_1_1.getVersion();
        var watch = http1 && connection.getEndPoint() instanceof AbstractEndPoint endPoint
                ? new ClientHangUpWatch(endPoint, connection)
                : new ClientHangUpWatch(null, null);
        watch.begin();
        request.addFailureListener(failure -> watch.hungUp = true);
        return watch;
    }

    /** Whether the client closed (or reset) its connection. */
    public boolean hungUp() {
        return hungUp;
    }

    /** Stops watching and withdraws the read interest, so the response can complete normally. */
    @Override
    public void close() {
        if (endPoint == null) {
            return;
        }
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                // Fails our callback (ignored now that we are closed) and clears the interest; false if none is left.
                endPoint.getFillInterest().onFail(new ClosedChannelException());
            }
        } finally {
            lock.unlock();
        }
    }

    private void begin() {
        if (endPoint == null) {
            return;
        }
        lock.lock();
        try {
            interest();
        } finally {
            lock.unlock();
        }
    }

    /** With the lock held. */
    private void interest() {
        if (!closed && !hungUp && !endPoint.tryFillInterested(onReadable)) {
            // Someone else reads this connection (it is not idle between requests as expected): leave it to them.
            closed = true;
        }
    }

    private void readable() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            ByteBuffer buffer = BufferUtil.allocate(4096);
            int filled = endPoint.fill(buffer);
            if (filled < 0) {
                hungUp = true;
            } else if (filled == 0) {
                interest(); // woken without data: keep listening
            } else {
                if (connection instanceof Connection.UpgradeTo next) {
                    next.onUpgradeTo(buffer); // the next pipelined request: the connection parses it after ours
                }
                closed = true;
            }
        } catch (IOException reset) {
            hungUp = true;
        } finally {
            lock.unlock();
        }
    }

    private void readFailed(Throwable failure) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (failure instanceof TimeoutException && endPoint.isOpen()) {
                interest(); // an idle timeout of the connection; a long answer may outlast it
            } else {
                hungUp = true;
            }
        } finally {
            lock.unlock();
        }
    }
}
