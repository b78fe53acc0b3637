package dev.ncp.host.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The cut plans the through-the-proxy fixture tests rely on: every offset a boundary once, plans ascending. */
class EveryOffsetCutsTest {

    @Test
    void everyOffsetOfTheBodyIsACutInExactlyOnePlan() {
        for (int length : new int[] {2, 5, 47, 48, 49, 97, 1_635}) {
            List<int[]> plans = EveryOffsetCuts.plans(length);
            int[] all = plans.stream().flatMapToInt(Arrays::stream).sorted().toArray();
            assertArrayEquals(IntStream.range(1, length).toArray(), all, "length " + length);
            assertEquals(Math.min(EveryOffsetCuts.STRIDE, length - 1), plans.size(), "plays for length " + length);
            plans.forEach(plan -> assertArrayEquals(Arrays.stream(plan).sorted().toArray(), plan, "ascending"));
        }
    }

    @Test
    void aPlanSaysWhereItCuts() {
        assertEquals("cut every 3 bytes from 2", EveryOffsetCuts.describe(EveryOffsetCuts.plans(10, 3).get(1)));
        assertEquals("cut at 4", EveryOffsetCuts.describe(new int[] {4}));
    }
}
