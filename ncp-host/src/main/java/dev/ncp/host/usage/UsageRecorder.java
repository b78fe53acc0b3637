package dev.ncp.host.usage;

import dev.ncp.api.storage.StorageException;
import dev.ncp.host.observe.RequestSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds every finished Messages API request to its usage buckets, off the request path: the request's thread only
 * puts a small record on a bounded queue; one writer thread folds the queue into this instance's running sums and
 * writes the changed buckets to the {@link UsageStore} about once a second, a batch of requests in one write per
 * bucket. {@link #close} drains the queue and writes the last sums before the storage closes, so a clean stop loses
 * no request.
 *
 * <p>When the store fails, the sums stay in memory and are written on a later flush; when the queue is full (the
 * store far slower than the traffic), a request's record is dropped and counted in {@link #dropped()} rather than
 * holding the request up.
 */
public final class UsageRecorder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UsageRecorder.class);
    static final int QUEUE_CAPACITY = 10_000;
    static final Duration FLUSH_EVERY = Duration.ofSeconds(1);
    /** A bucket's sums stay in memory this long after it ended, for records still on the queue. */
    private static final Duration KEEP_AFTER_END = Duration.ofMinutes(2);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    /** What the writer thread takes from the queue. */
    private sealed interface Item {
    }

    private record Finished(Instant at, UsageKey key, UsageTotals totals) implements Item {
    }

    private record Flush(CompletableFuture<Void> done) implements Item {
    }

    private record Stop() implements Item {
    }

    private record BucketId(Granularity granularity, long index) {
    }

    /** This instance's running sums of one bucket and the slot they are written to. */
    private static final class Pending {
        final Map<UsageKey, UsageTotals> rows = new HashMap<>();
        int slot;
        boolean dirty;
    }

    private final UsageStore store;
    private final Clock clock;
    private final Function<RequestSummary, String> upstreamOf;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Map<BucketId, Pending> buckets = new HashMap<>(); // the writer thread's alone
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    /**
     * @param upstreamOf the upstream that served a request, by the name usage rows carry (one place to name it)
     */
    public UsageRecorder(UsageStore store, Clock clock, Function<RequestSummary, String> upstreamOf) {
        this.store = store;
        this.clock = clock;
        this.upstreamOf = upstreamOf;
        this.writer = Thread.ofVirtual().name("ncp-usage-writer").start(this::run);
    }

    /**
     * A request ended: its record goes on the queue. Messages API requests only (the rest is not usage), and not
     * those refused by auth: they belong to no principal.
     */
    public void record(RequestSummary summary) {
        if (!summary.answered() || summary.status() == 401 || closed) {
            return;
        }
        var key = new UsageKey(summary.principal(), summary.model(), upstreamOf.apply(summary), summary.outcome());
        if (!queue.offer(new Finished(clock.instant(), key, UsageTotals.of(summary)))) {
            if (dropped.getAndIncrement() % 1_000 == 0) {
                LOG.warn("usage records are dropped: the storage engine cannot keep up ({} dropped so far)",
                        dropped.get());
            }
        }
    }

    /**
     * Writes everything recorded so far before returning (or after {@code wait}), so a report read on this instance
     * includes its own latest requests.
     */
    public void flush(Duration wait) {
        var done = new CompletableFuture<Void>();
        if (closed || !queue.offer(new Flush(done))) {
            return;
        }
        try {
            done.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // a slow or failing store: the report is read from what is there
        }
    }

    /** Records dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    private void run() {
        Instant lastFlush = clock.instant();
        List<Item> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                Item first = queue.poll(FLUSH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch);
                }
            } catch (InterruptedException e) {
                stopping = true; // only close() interrupts, and only when the stop was not taken in time
            }
            List<CompletableFuture<Void>> waiting = new ArrayList<>();
            for (Item item : batch) {
                switch (item) {
                    case Finished f -> add(f);
                    case Flush f -> waiting.add(f.done());
                    case Stop s -> stopping = true;
                }
            }
            batch.clear();
            Instant now = clock.instant();
            if (stopping || !waiting.isEmpty() || !now.isBefore(lastFlush.plus(FLUSH_EVERY))) {
                writeChanged(now);
                lastFlush = now;
            }
            waiting.forEach(f -> f.complete(null));
        }
    }

    private void add(Finished f) {
        for (Granularity g : Granularity.values()) {
            Pending p = buckets.computeIfAbsent(new BucketId(g, g.index(f.at())), id -> new Pending());
            p.rows.merge(f.key(), f.totals(), UsageTotals::plus);
            p.dirty = true;
        }
    }

    private void writeChanged(Instant now) {
        for (Iterator<Map.Entry<BucketId, Pending>> it = buckets.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            BucketId id = entry.getKey();
            Pending p = entry.getValue();
            if (p.dirty) {
                try {
                    p.slot = store.write(id.granularity(), id.index(), p.slot, p.rows, now);
                    p.dirty = false;
                } catch (StorageException | IllegalArgumentException e) {
                    LOG.warn("usage could not be written ({}); it is kept and written again", e.getMessage());
                    return;
                }
            }
            Instant end = id.granularity().start(id.index()).plus(id.granularity().length());
            if (!p.dirty && now.isAfter(end.plus(KEEP_AFTER_END))) {
                it.remove();
            }
        }
    }

    /** Writes what is queued and waits for the writer (before the storage it writes to closes). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            queue.put(new Stop());
            if (!writer.join(CLOSE_WAIT)) {
                LOG.warn("usage writer did not finish within {} s; the last second of usage may be lost",
                        CLOSE_WAIT.toSeconds());
                writer.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
