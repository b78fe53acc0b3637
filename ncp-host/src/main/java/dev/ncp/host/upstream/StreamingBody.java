package dev.ncp.host.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.io.Content;

/**
 * A Jetty response listener that hands the body over as a blocking {@link InputStream} whose {@link
 * InputStream#available()} counts the bytes already received, so the pump can batch what is already here into one
 * flush. Unlike Jetty's {@code InputStreamResponseListener} (one chunk in flight, {@code available()} always 0) it
 * keeps asking for content until {@link #MAX_QUEUED_BYTES} wait unread: the network thread copies each chunk and
 * returns its buffer at once, and the reader is woken once per chunk, never asked to fetch the next one itself.
 */
final class StreamingBody implements Response.Listener {

    /** How much of a fast upstream's answer may wait for a slow reader before Jetty stops reading the socket. */
    static final int MAX_QUEUED_BYTES = 64 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final CountDownLatch headers = new CountDownLatch(1);
    private final CountDownLatch completed = new CountDownLatch(1);
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final Input input = new Input();
    private Response response;
    private Throwable failure;
    private boolean ended;
    private boolean closed;
    /** The reader is done with a whole answer: what still comes is discarded, and demanded, until the end. */
    private boolean draining;
    private int queuedBytes;
    private int headOffset;
    /** Jetty's "send more" callback, held back while the queue is full. */
    private Runnable pendingDemand;

    /** Waits up to {@code timeout} for the response headers. */
    Response awaitHeaders(long timeout, TimeUnit unit) throws InterruptedException, TimeoutException,
            ExecutionException {
        if (!headers.await(timeout, unit)) {
            throw new TimeoutException();
        }
        lock.lock();
        try {
            if (response == null) {
                throw new ExecutionException(failure);
            }
            return response;
        } finally {
            lock.unlock();
        }
    }

    InputStream body() {
        return input;
    }

    @Override
    public void onHeaders(Response response) {
        lock.lock();
        try {
            this.response = response;
        } finally {
            lock.unlock();
        }
        headers.countDown();
    }

    @Override
    public void onContent(Response response, Content.Chunk chunk, Runnable demander) {
        ByteBuffer buffer = chunk.getByteBuffer();
        int n = buffer.remaining();
        boolean demandNow;
        lock.lock();
        try {
            if (draining) {
                demandNow = true; // read on to the end of the body, so the connection can be reused
            } else if (closed) {
                return; // the exchange is being aborted; no more demand
            } else {
                demandNow = queue(buffer, n, demander);
            }
        } finally {
            lock.unlock();
        }
        if (demandNow) {
            demander.run();
        }
    }

    /**
     * The reader is done with a whole answer: from now on content is discarded and more is asked for, so that the
     * exchange ends by itself and its connection goes back to the pool; waits up to {@code millis} for that and
     * returns whether it happened (Jetty releases the connection before it reports the exchange complete).
     */
    boolean drain(long millis) throws InterruptedException {
        drain();
        return completed.await(millis, TimeUnit.MILLISECONDS);
    }

    private void drain() {
        Runnable demand;
        lock.lock();
        try {
            draining = true;
            closed = true;
            queue.clear();
            queuedBytes = 0;
            demand = pendingDemand;
            pendingDemand = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (demand != null) {
            demand.run();
        }
    }

    /** Queues a chunk (under the lock); returns whether to ask for the next one now. */
    private boolean queue(ByteBuffer buffer, int n, Runnable demander) {
        if (n > 0) {
            byte[] copy = new byte[n];
            buffer.get(copy);
            queue.add(copy);
            queuedBytes += n;
            changed.signalAll();
        }
        boolean demandNow = queuedBytes < MAX_QUEUED_BYTES;
        if (!demandNow) {
            pendingDemand = demander;
        }
        return demandNow;
    }

    @Override
    public void onSuccess(Response response) {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onFailure(Response response, Throwable failure) {
        failed(failure);
    }

    @Override
    public void onComplete(Result result) {
        if (result.isFailed()) {
            failed(result.getFailure());
        }
        headers.countDown(); // a request that failed before any response: awaitHeaders reports the failure
        completed.countDown();
    }

    private void failed(Throwable cause) {
        lock.lock();
        try {
            if (failure == null) {
                failure = cause;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private final class Input extends InputStream {

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            Runnable demand = null;
            int copied;
            lock.lock();
            try {
                while (queue.isEmpty()) {
                    if (closed) {
                        throw new IOException("the upstream response was closed");
                    }
                    if (failure != null) {
                        throw failure instanceof IOException io ? new IOException(io.getMessage(), io)
                                : new IOException(failure);
                    }
                    if (ended) {
                        return -1;
                    }
                    changed.await();
                }
                byte[] head = queue.peek();
                copied = Math.min(len, head.length - headOffset);
                System.arraycopy(head, headOffset, b, off, copied);
                headOffset += copied;
                if (headOffset == head.length) {
                    queue.poll();
                    headOffset = 0;
                }
                queuedBytes -= copied;
                if (pendingDemand != null && queuedBytes < MAX_QUEUED_BYTES / 2) {
                    demand = pendingDemand;
                    pendingDemand = null;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the upstream");
            } finally {
                lock.unlock();
            }
            if (demand != null) {
                demand.run();
            }
            return copied;
        }

        @Override
        public int available() {
            lock.lock();
            try {
                return queuedBytes;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                closed = true;
                queue.clear();
                queuedBytes = 0;
                pendingDemand = null;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
