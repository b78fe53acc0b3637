package dev.ncp.host.pump;

import dev.ncp.api.stream.StreamEvent;
import dev.ncp.host.error.ApiError;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Puts the pump's thread and its watchdog (pings) on one sink without interleaving: every write holds a lock (a
 * {@link ReentrantLock}, which does not pin a virtual thread as {@code synchronized} does on Java 21). Remembers
 * when it last wrote, whether the answer has ended (no ping may follow message_stop or an error) and whether the
 * sink failed — a failed sink means the client is gone, and nothing more is written to it.
 *
 * <p>It also knows whether content reached the client (anything but message_start and pings): until then another
 * upstream attempt may replace the one that failed — and after it too when the sink can take content back (a whole
 * answer, which the client gets only at its end). A message has one message_start, so the one each new attempt's
 * pipeline emits is dropped here.
 */
final class GuardedSink implements EventSink {

    /** The sink threw: the client is gone. */
    static final class SinkFailedException extends RuntimeException {
        SinkFailedException(Throwable cause) {
            super("the client stopped accepting events", cause);
        }
    }

    private final EventSink target;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile long lastWriteNanos = System.nanoTime();
    /** Last write of any kind, keep-alive comments included. */
    private volatile long lastBytesNanos = System.nanoTime();
    private volatile boolean failed;
    private volatile boolean ended;
    private volatile boolean started;
    private volatile boolean contentSent;
    /** The error event the answer ended with, if it did. */
    private volatile StreamEvent.Error endedWith;

    GuardedSink(EventSink target) {
        this.target = target;
    }

    boolean failed() {
        return failed;
    }

    /** Whether anything but message_start and pings went to the client: the answer can no longer be replaced. */
    boolean contentSent() {
        return contentSent;
    }

    /** Whether another attempt may still replace this one: no content yet, or content the sink can take back. */
    boolean replaceable() {
        return !failed && (!contentSent || target.canTakeBack());
    }

    /** The error event the answer ended with (the upstream's in-band error, a cut-off stream), or null. */
    StreamEvent.Error endedWith() {
        return endedWith;
    }

    /** Before a replacing attempt: content taken so far is forgotten, as if only message_start had gone out. */
    void startOver() {
        if (contentSent) {
            write(target::takeBack);
            contentSent = false;
            ended = false;
            endedWith = null;
        }
    }

    @Override
    public void accept(StreamEvent event) {
        if (event instanceof StreamEvent.MessageStart && started) {
            return; // a retry's or fallback's pipeline starts again; the client already has its message_start
        }
        write(() -> {
            target.accept(event);
            lastWriteNanos = System.nanoTime();
            lastBytesNanos = lastWriteNanos;
            started |= event instanceof StreamEvent.MessageStart;
            contentSent |= !(event instanceof StreamEvent.MessageStart || event instanceof StreamEvent.Ping);
            ended |= event instanceof StreamEvent.MessageStop || event instanceof StreamEvent.Error;
            if (event instanceof StreamEvent.Error error) {
                endedWith = error;
            }
        });
    }

    @Override
    public void failing(ApiError error) {
        write(() -> target.failing(error));
    }

    /** Not a write for the ping clock: the upstream may send bytes (comments) that make no event. */
    @Override
    public void endOfBatch() {
        write(target::endOfBatch);
    }

    /**
     * Sends a ping if no event was written for {@code pingNanos}, else a keep-alive if nothing at all was written for
     * {@code keepAliveNanos} (0 disables either), while the answer is still going. Gives up at once if the pump is
     * writing (it holds the lock). Returns false if the sink has failed.
     */
    boolean heartbeat(long pingNanos, long keepAliveNanos) {
        if (failed || ended || !lock.tryLock()) {
            return !failed;
        }
        try {
            long now = System.nanoTime();
            if (ended) {
                return true;
            }
            if (pingNanos > 0 && now - lastWriteNanos >= pingNanos) {
                target.accept(new StreamEvent.Ping());
                target.endOfBatch();
                lastWriteNanos = System.nanoTime();
                lastBytesNanos = lastWriteNanos;
            } else if (keepAliveNanos > 0 && now - lastBytesNanos >= keepAliveNanos) {
                target.keepAlive();
                lastBytesNanos = System.nanoTime();
            }
            return true;
        } catch (RuntimeException e) {
            failed = true;
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void write(Runnable action) {
        if (failed) {
            throw new SinkFailedException(null);
        }
        lock.lock();
        try {
            action.run();
        } catch (RuntimeException e) {
            failed = true;
            throw new SinkFailedException(e);
        } finally {
            lock.unlock();
        }
    }
}
