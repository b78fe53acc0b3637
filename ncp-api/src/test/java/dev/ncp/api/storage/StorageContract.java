package dev.ncp.api.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Storage} must have. An engine's test extends this class and returns a freshly opened
 * store from {@link #newStorage()}; each test closes the store it was given.
 *
 * <p>Keys are unique per test, so engines backed by a shared server or file need no cleanup between tests. Timing
 * tests use short TTLs and poll with a generous bound instead of sleeping for exact lengths.
 */
public abstract class StorageContract {

    /** A short TTL or window, long enough that a put followed by a get is always inside it. */
    protected static final Duration SHORT = Duration.ofMillis(250);
    protected static final Duration LONG = Duration.ofMinutes(5);

    private Storage storage;
    private String keyPrefix;

    /** Opens a new store for one test. The contract closes it afterwards. */
    protected abstract Storage newStorage();

    @BeforeEach
    void openStorage() {
        storage = newStorage();
        keyPrefix = "contract:" + UUID.randomUUID() + ":";
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }

    /** The store under test, for subclasses that add engine-specific tests. */
    protected Storage storage() {
        return storage;
    }

    /** A key no other test (or earlier run against a shared backend) uses. */
    protected String key(String name) {
        return keyPrefix + name;
    }

    @Test
    void getOfAbsentKeyIsEmpty() {
        assertEquals(Optional.empty(), storage.get(key("never-written")));
    }

    @Test
    void putThenGetReturnsTheValue() {
        storage.put(key("k"), "v1", LONG);
        assertEquals(Optional.of("v1"), storage.get(key("k")));
    }

    @Test
    void putOverwritesThePreviousValue() {
        storage.put(key("k"), "first", LONG);
        storage.put(key("k"), "second", LONG);
        assertEquals(Optional.of("second"), storage.get(key("k")));
    }

    @Test
    void keysAreIndependent() {
        storage.put(key("a"), "value-a", LONG);
        storage.put(key("b"), "value-b", LONG);
        assertEquals(Optional.of("value-a"), storage.get(key("a")));
        assertEquals(Optional.of("value-b"), storage.get(key("b")));
    }

    @Test
    void valueExpiresAfterItsTtlWhileLongerLivedValuesStay() {
        long start = System.nanoTime();
        storage.put(key("short"), "v", SHORT);
        storage.put(key("long"), "v", LONG);

        Timing.awaitTrue("the short-lived value to expire", () -> storage.get(key("short")).isEmpty());

        assertTrue(Timing.elapsedSince(start).compareTo(SHORT.minus(Timing.CLOCK_TOLERANCE)) >= 0,
                "the value vanished before its TTL had passed");
        assertEquals(Optional.of("v"), storage.get(key("long")));
    }

    @Test
    void putRenewsTheTtl() {
        storage.put(key("k"), "short-lived", SHORT);
        storage.put(key("k"), "long-lived", LONG);
        Timing.pause(SHORT.multipliedBy(2));
        assertEquals(Optional.of("long-lived"), storage.get(key("k")));
    }

    @Test
    void putIfAbsentStoresWhenTheKeyIsAbsent() {
        assertTrue(storage.putIfAbsent(key("k"), "claimed", LONG));
        assertEquals(Optional.of("claimed"), storage.get(key("k")));
    }

    @Test
    void putIfAbsentKeepsTheExistingValueWhenTheKeyIsPresent() {
        storage.put(key("k"), "original", LONG);
        assertFalse(storage.putIfAbsent(key("k"), "intruder", LONG));
        assertEquals(Optional.of("original"), storage.get(key("k")));
    }

    @Test
    void secondPutIfAbsentLoses() {
        assertTrue(storage.putIfAbsent(key("k"), "first", LONG));
        assertFalse(storage.putIfAbsent(key("k"), "second", LONG));
        assertEquals(Optional.of("first"), storage.get(key("k")));
    }

    @Test
    void putIfAbsentStoresWhenTheKeyHasExpired() {
        storage.put(key("k"), "stale", SHORT);
        Timing.awaitTrue("the value to expire", () -> storage.get(key("k")).isEmpty());

        assertTrue(storage.putIfAbsent(key("k"), "fresh", LONG));
        assertEquals(Optional.of("fresh"), storage.get(key("k")));
    }

    @Test
    void putIfAbsentGivesTheNewValueItsOwnTtl() {
        assertTrue(storage.putIfAbsent(key("k"), "short-lived", SHORT));
        Timing.awaitTrue("the claimed value to expire", () -> storage.get(key("k")).isEmpty());
    }

    @Test
    void concurrentPutIfAbsentOnOneKeyHasExactlyOneWinner() {
        for (int round = 0; round < 5; round++) {
            String key = key("race-" + round);
            List<Boolean> results = Race.run(16, thread -> storage.putIfAbsent(key, "thread-" + thread, LONG));

            List<Integer> winners = Race.indexesOf(results, true);
            assertEquals(1, winners.size(), "winners in round " + round + ": " + winners);
            assertEquals(Optional.of("thread-" + winners.getFirst()), storage.get(key));
        }
    }

    @Test
    void deleteOfALiveKeyReturnsTrueAndRemovesIt() {
        storage.put(key("k"), "v", LONG);
        assertTrue(storage.delete(key("k")));
        assertEquals(Optional.empty(), storage.get(key("k")));
    }

    @Test
    void deleteOfAnAbsentKeyReturnsFalse() {
        assertFalse(storage.delete(key("never-written")));
    }

    @Test
    void deleteTwiceReturnsFalseTheSecondTime() {
        storage.put(key("k"), "v", LONG);
        assertTrue(storage.delete(key("k")));
        assertFalse(storage.delete(key("k")));
    }

    @Test
    void deleteOfAnExpiredKeyReturnsFalse() {
        storage.put(key("k"), "v", SHORT);
        Timing.awaitTrue("the value to expire", () -> storage.get(key("k")).isEmpty());
        assertFalse(storage.delete(key("k")));
    }

    @Test
    void deletedKeyCanBeClaimedAgain() {
        assertTrue(storage.putIfAbsent(key("k"), "first", LONG));
        storage.delete(key("k"));
        assertTrue(storage.putIfAbsent(key("k"), "second", LONG));
        assertEquals(Optional.of("second"), storage.get(key("k")));
    }

    @Test
    void incrementInWindowCountsOneTwoThree() {
        assertEquals(1, storage.incrementInWindow(key("counter"), LONG));
        assertEquals(2, storage.incrementInWindow(key("counter"), LONG));
        assertEquals(3, storage.incrementInWindow(key("counter"), LONG));
    }

    @Test
    void countersAreIndependent() {
        storage.incrementInWindow(key("a"), LONG);
        storage.incrementInWindow(key("a"), LONG);
        assertEquals(1, storage.incrementInWindow(key("b"), LONG));
        assertEquals(3, storage.incrementInWindow(key("a"), LONG));
    }

    @Test
    void incrementInWindowRestartsAtOneOnceTheWindowHasPassed() {
        long start = System.nanoTime();
        assertEquals(1, storage.incrementInWindow(key("counter"), SHORT));

        // Incrementing all along also proves the window is fixed: increments must not extend it.
        Timing.awaitTrue("the window to restart", () -> storage.incrementInWindow(key("counter"), SHORT) == 1);

        assertTrue(Timing.elapsedSince(start).compareTo(SHORT.minus(Timing.CLOCK_TOLERANCE)) >= 0,
                "the window restarted before it had passed");
    }

    @Test
    void concurrentIncrementsEachGetADistinctCountAndSumExactly() {
        int threads = 16;
        int perThread = 50;
        List<List<Long>> counts = Race.run(threads, thread -> LongStream.range(0, perThread)
                .map(i -> storage.incrementInWindow(key("counter"), LONG))
                .boxed()
                .toList());

        Set<Long> seen = new HashSet<>();
        counts.forEach(seen::addAll);
        Set<Long> expected = LongStream.rangeClosed(1, (long) threads * perThread).boxed().collect(Collectors.toSet());
        assertEquals(expected, seen, "every increment must return a distinct count from 1 to the total");
        assertEquals((long) threads * perThread + 1, storage.incrementInWindow(key("counter"), LONG));
    }

    @Test
    void unicodeKeysAndValuesRoundTrip() {
        String value = "héllo wörld — 日本語テキスト 🚀👩‍💻 עברית \"quoted\" 'single' \\ back\nnew line\ttab ∑∞";
        storage.put(key("ключ-🔑"), value, LONG);
        assertEquals(Optional.of(value), storage.get(key("ключ-🔑")));
        assertEquals(Optional.empty(), storage.get(key("ключ")));
    }

    @Test
    void oneMegabyteValueRoundTrips() {
        String value = largeValue(1 << 20);
        storage.put(key("large"), value, LONG);
        assertEquals(Optional.of(value), storage.get(key("large")));
    }

    @Test
    void emptyValueIsStoredAndIsNotAbsence() {
        storage.put(key("k"), "", LONG);
        assertEquals(Optional.of(""), storage.get(key("k")));
        assertFalse(storage.putIfAbsent(key("k"), "other", LONG));
    }

    @Test
    void nonPositiveDurationsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> storage.put(key("k"), "v", Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> storage.putIfAbsent(key("k"), "v", Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> storage.incrementInWindow(key("c"), Duration.ZERO));
        assertEquals(Optional.empty(), storage.get(key("k")));
    }

    @Test
    void healthIsHealthyWithADetail() {
        StorageHealth health = storage.health();
        assertTrue(health.healthy(), "unhealthy: " + health.detail());
        assertFalse(health.detail() == null || health.detail().isBlank(), "health needs a detail for /health");
    }

    @Test
    void closeIsIdempotent() {
        Storage extra = newStorage();
        extra.close();
        extra.close();
        storage.close();
        storage.close();
    }

    /** Characters of one, two, three and four UTF-8 bytes, so size limits in bytes and in chars both show. */
    private static String largeValue(int chars) {
        String alphabet = "abcXYZ019 éßøΩЖ日本語€🚀";
        int[] codePoints = alphabet.codePoints().toArray();
        Random random = new Random(42);
        StringBuilder sb = new StringBuilder(chars + 2);
        while (sb.length() < chars) {
            sb.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
        }
        return sb.toString();
    }
}
