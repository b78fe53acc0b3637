package dev.ncp.host.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Fan-out of every request's {@link VisualEvent}s to the dashboard's websockets (and anyone else subscribed).
 * Publishing never waits for a subscriber: each has its own bounded buffer, and a full buffer drops the event for
 * that subscriber only, counting it there and in {@link #dropped()}. A short history of recent events is replayed
 * to each new subscriber (at most half its buffer), so a dashboard opened mid-request is not blank.
 */
public final class VisualizationBus {

    /** Events replayed to a new subscriber. */
    static final int HISTORY = 256;

    private final int bufferCapacity;
    private final Clock clock;
    private final ObjectWriter writer;
    private final List<BusSubscription> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private final ArrayDeque<BusMessage> history = new ArrayDeque<>(HISTORY);
    /** A ReentrantLock, not synchronized: it must not pin the request's virtual thread (Java 21). */
    private final ReentrantLock lock = new ReentrantLock();
    private volatile long sequence;

    /** @param bufferCapacity events each subscriber may have waiting before its further events are dropped */
    public VisualizationBus(int bufferCapacity, Clock clock) {
        if (bufferCapacity < 1) {
            throw new IllegalArgumentException("bufferCapacity must be positive: " + bufferCapacity);
        }
        this.bufferCapacity = bufferCapacity;
        this.clock = clock;
        this.writer = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).writer();
    }

    /**
     * Publishes one event of request {@code requestId}; returns the message as subscribers see it. The lock is held
     * only to number the event and hand it to each buffer without waiting (so every subscriber sees the events in
     * sequence order, and a new one gets each event exactly once: from the history or live, never both).
     */
    public BusMessage publish(String requestId, String principal, VisualEvent event) {
        lock.lock();
        try {
            var message = new BusMessage(++sequence, clock.millis(), requestId, principal, event, writer);
            if (history.size() == HISTORY) {
                history.removeFirst();
            }
            history.addLast(message);
            for (BusSubscription s : subscribers) {
                if (!s.offer(message)) {
                    dropped.incrementAndGet();
                }
            }
            return message;
        } finally {
            lock.unlock();
        }
    }

    /** An event that belongs to no one request (e.g. a breaker's change): only operators' subscriptions get it. */
    public BusMessage publish(String requestId, VisualEvent event) {
        return publish(requestId, null, event);
    }

    /** A new subscriber that sees every event, its buffer primed with the recent history. */
    public BusSubscription subscribe(String name) {
        return subscribe(name, message -> true);
    }

    /**
     * A new subscriber that is offered only the events {@code sees} accepts (e.g. its principal's own), its buffer
     * primed with the recent history it sees. Close it to unsubscribe.
     */
    public BusSubscription subscribe(String name, Predicate<BusMessage> sees) {
        var subscription = new BusSubscription(name, bufferCapacity, this, sees);
        lock.lock();
        try {
            // The most recent events, leaving half the buffer for live ones; the rest of the history is skipped,
            // not counted as dropped.
            List<BusMessage> visible = history.stream().filter(sees).toList();
            int replay = Math.min(visible.size(), bufferCapacity / 2);
            visible.stream().skip(visible.size() - replay).forEach(subscription::offer);
            subscribers.add(subscription);
        } finally {
            lock.unlock();
        }
        return subscription;
    }

    void remove(BusSubscription subscription) {
        subscribers.remove(subscription);
    }

    public List<BusSubscription> subscribers() {
        return List.copyOf(subscribers);
    }

    /** Events published since start. */
    public long published() {
        return sequence;
    }

    /** Deliveries dropped since start, over all subscribers (one event dropped for two subscribers counts 2). */
    public long dropped() {
        return dropped.get();
    }

    public int bufferCapacity() {
        return bufferCapacity;
    }
}
