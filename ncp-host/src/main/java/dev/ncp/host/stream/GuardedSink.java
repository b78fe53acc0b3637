package dev.ncp.host.stream;

import dev.ncp.api.stream.StreamEvent;
import dev.ncp.host.http.ApiError;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Puts the pump's thread and its watchdog (pings) on one sink without interleaving: every write holds a lock (a
 * {@link ReentrantLock}, which does not pin a virtual thread as {@code synchronized} does on Java 21). Remembers
 * when it last wrote, whether the answer has ended (no ping may follow message_stop or an error) and whether the
 * sink failed — a failed sink means the client is gone, and nothing more is written to it.
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
    private volatile boolean failed;
    private volatile boolean ended;

    GuardedSink(EventSink target) {
        this.target = target;
    }

    boolean failed() {
        return failed;
    }

    @Override
    public void accept(StreamEvent event) {
        write(() -> {
            target.accept(event);
            lastWriteNanos = System.nanoTime();
            ended |= event instanceof StreamEvent.MessageStop || event instanceof StreamEvent.Error;
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
     * Sends a ping if nothing was written for {@code idleNanos} and the answer is still going. Gives up at once if
     * the pump is writing (it holds the lock). Returns false if the sink has failed.
     */
    boolean pingIfIdle(long idleNanos) {
        if (failed || ended || !lock.tryLock()) {
            return !failed;
        }
        try {
            if (!ended && System.nanoTime() - lastWriteNanos >= idleNanos) {
                target.accept(new StreamEvent.Ping());
                target.endOfBatch();
                lastWriteNanos = System.nanoTime();
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
