package dev.ncp.api.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/** Runs one task on many platform threads released at the same instant, to provoke races in atomic operations. */
public final class Race {

    private static final long TIMEOUT_SECONDS = 60;

    private Race() {
    }

    /** Runs {@code task(i)} for i in [0, threads) concurrently and returns the results in thread order. */
    public static <T> List<T> run(int threads, IntFunction<T> task) {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return task.apply(index);
                }));
            }
            ready.await();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the race", e);
        } catch (ExecutionException e) {
            throw new AssertionError("a racing thread failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("a racing thread did not finish within " + TIMEOUT_SECONDS + " s", e);
        } finally {
            // Not close(): it would wait forever for a thread stuck in a broken engine.
            pool.shutdownNow();
        }
    }

    /** The positions in {@code values} that equal {@code wanted}. */
    public static <T> List<Integer> indexesOf(List<T> values, T wanted) {
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).equals(wanted)) {
                indexes.add(i);
            }
        }
        return indexes;
    }
}
