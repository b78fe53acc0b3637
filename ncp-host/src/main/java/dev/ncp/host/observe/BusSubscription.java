package dev.ncp.host.observe;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * One subscriber's view of the bus: a bounded buffer the bus offers to without ever waiting. When the subscriber
 * does not keep up, the buffer fills and further events are dropped (and counted) for it alone.
 */
public final class BusSubscription implements AutoCloseable {

    private final String name;
    private final ArrayBlockingQueue<BusMessage> buffer;
    private final VisualizationBus bus;
    private final Predicate<BusMessage> sees;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    BusSubscription(String name, int capacity, VisualizationBus bus, Predicate<BusMessage> sees) {
        this.name = name;
        this.buffer = new ArrayBlockingQueue<>(capacity);
        this.bus = bus;
        this.sees = sees;
    }

    /**
     * Offers without waiting; false (and one drop counted) when the buffer is full. An event this subscriber may
     * not see is passed over: neither buffered nor counted as dropped.
     */
    boolean offer(BusMessage message) {
        if (!sees.test(message) || buffer.offer(message)) {
            return true;
        }
        dropped.incrementAndGet();
        return false;
    }

    /** The next event, waiting at most {@code timeoutMillis}; null if none came (or the subscription is closed). */
    public BusMessage poll(long timeoutMillis) throws InterruptedException {
        if (closed) {
            return null;
        }
        BusMessage m = buffer.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (m != null) {
            delivered.incrementAndGet();
        }
        return m;
    }

    public String name() {
        return name;
    }

    public long delivered() {
        return delivered.get();
    }

    public long dropped() {
        return dropped.get();
    }

    /** Events waiting in the buffer. */
    public int backlog() {
        return buffer.size();
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        bus.remove(this);
        buffer.clear();
    }
}
