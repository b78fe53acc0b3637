package dev.ncp.host.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Cut plans that put a piece boundary at every byte offset of an upstream body in few plays: play {@code k} cuts at
 * {@code k, k + stride, k + 2·stride…}, so plays {@code 1..stride} together cut at every offset exactly once.
 * Through a whole proxy each play costs a request; one cut per play needs a request per byte (thousands per
 * fixture), this needs {@code stride} of them and cuts each answer into many pieces at once. Every two-piece split
 * on its own is still tried in-process, where it costs microseconds ({@code ChunkBoundaryTest}).
 */
public final class EveryOffsetCuts {

    /** Plays per body: enough pieces per play to matter, few enough requests to keep a fixture under a second. */
    public static final int STRIDE = 48;

    private EveryOffsetCuts() {
    }

    /** The plans for a body of {@code length} bytes with {@link #STRIDE}. */
    public static List<int[]> plans(int length) {
        return plans(length, STRIDE);
    }

    /** Plan {@code k} (1-based) cuts at {@code k, k + stride, …} below {@code length}: offsets 1..length-1 once. */
    public static List<int[]> plans(int length, int stride) {
        List<int[]> plans = new ArrayList<>();
        for (int first = 1; first <= Math.min(stride, length - 1); first++) {
            plans.add(IntStream.iterate(first, cut -> cut < length, cut -> cut + stride).toArray());
        }
        return plans;
    }

    /** How a plan reads in an assertion message. */
    public static String describe(int[] plan) {
        return plan.length == 1 ? "cut at " + plan[0]
                : "cut every " + (plan[1] - plan[0]) + " bytes from " + plan[0];
    }
}
