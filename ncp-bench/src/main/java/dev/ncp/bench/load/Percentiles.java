package dev.ncp.bench.load;

import java.util.Arrays;
import java.util.function.ToLongFunction;
import java.util.List;

/** Nearest-rank percentiles of nanosecond samples, in milliseconds. */
final class Percentiles {

    private final long[] sorted;

    private Percentiles(long[] sorted) {
        this.sorted = sorted;
    }

    static <T> Percentiles of(List<T> items, ToLongFunction<T> nanos) {
        long[] values = items.stream().mapToLong(nanos).filter(v -> v >= 0).sorted().toArray();
        return new Percentiles(values);
    }

    static Percentiles ofNanos(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return new Percentiles(copy);
    }

    /** The p-th percentile (0 < p ≤ 100) in ms, or NaN without samples. */
    double millis(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    double maxMillis() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6;
    }

    int count() {
        return sorted.length;
    }
}
