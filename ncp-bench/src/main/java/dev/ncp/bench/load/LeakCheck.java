package dev.ncp.bench.load;

import java.util.Arrays;
import java.util.List;

/**
 * Whether a gauge sampled once a minute trends up. A leak shows as growth that goes on after warm-up (heap grown to
 * its working size, pools filled, the JIT done), so the first third of the run is not judged. Two tests must both
 * pass the bound for a verdict of "grows", so neither one noisy minute nor a sawtooth (a collection, a pool
 * shrinking) decides it alone:
 * <ul>
 *   <li>the median of the last third against the median of the middle third;</li>
 *   <li>the least-squares slope over the second half, times the second half's length (the rise the line shows).</li>
 * </ul>
 * The bound is the larger of an absolute allowance and a share of the middle third's median.
 */
record LeakCheck(String gauge, double absoluteBound, double relativeBound) {

    /** The verdict on one gauge; {@code judged} is false when the run has too few samples to say. */
    record Verdict(String gauge, boolean judged, boolean grows, double middleMedian, double lastMedian,
                   double secondHalfRise, double bound) {

        String describe() {
            if (!judged) {
                return String.format("%-15s not judged (fewer than 6 samples)", gauge);
            }
            return String.format("%-15s %s: middle third %.1f → last third %.1f (%+.1f), second-half trend %+.1f,"
                            + " bound %.1f", gauge, grows ? "GROWS" : "flat", middleMedian, lastMedian,
                    lastMedian - middleMedian, secondHalfRise, bound);
        }
    }

    Verdict judge(List<Double> samples) {
        int n = samples.size();
        if (n < 6) {
            return new Verdict(gauge, false, false, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] v = samples.stream().mapToDouble(Double::doubleValue).toArray();
        double middle = median(Arrays.copyOfRange(v, n / 3, 2 * n / 3));
        double last = median(Arrays.copyOfRange(v, 2 * n / 3, n));
        int from = n / 2;
        double rise = slope(Arrays.copyOfRange(v, from, n)) * (n - from - 1);
        double bound = Math.max(absoluteBound, relativeBound * Math.abs(middle));
        boolean grows = last - middle > bound && rise > bound;
        return new Verdict(gauge, true, grows, middle, last, rise, bound);
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    /** Least-squares slope of values against their index. */
    private static double slope(double[] y) {
        int n = y.length;
        double meanX = (n - 1) / 2.0;
        double meanY = Arrays.stream(y).average().orElse(0);
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            num += (i - meanX) * (y[i] - meanY);
            den += (i - meanX) * (i - meanX);
        }
        return den == 0 ? 0 : num / den;
    }
}
