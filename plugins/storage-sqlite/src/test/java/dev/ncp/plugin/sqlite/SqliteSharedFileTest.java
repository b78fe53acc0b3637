package dev.ncp.plugin.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ncp.api.storage.Race;
import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two engines opened on one file, as two ncp processes on one machine would: each has its own connection, so only
 * SQLite's file locking keeps them consistent.
 */
class SqliteSharedFileTest {

    private static final Duration LONG = Duration.ofMinutes(5);

    @TempDir
    Path dataDirectory;

    private Storage first;
    private Storage second;

    @BeforeEach
    void openTwoInstances() {
        StorageSettings settings = new StorageSettings(dataDirectory, Map.of());
        first = new SqliteStorageEngine().open(settings);
        second = new SqliteStorageEngine().open(settings);
    }

    @AfterEach
    void closeBoth() {
        first.close();
        second.close();
    }

    @Test
    void aValueWrittenByOneInstanceIsSeenByTheOther() {
        first.put("k", "from-first", LONG);
        assertEquals(Optional.of("from-first"), second.get("k"));
        second.delete("k");
        assertEquals(Optional.empty(), first.get("k"));
    }

    @Test
    void concurrentPutIfAbsentAcrossInstancesHasExactlyOneWinner() {
        for (int round = 0; round < 10; round++) {
            String key = "race-" + round;
            List<Boolean> results = Race.run(16, thread -> instance(thread).putIfAbsent(key, "thread-" + thread, LONG));

            List<Integer> winners = Race.indexesOf(results, true);
            assertEquals(1, winners.size(), "winners in round " + round + ": " + winners);
            assertEquals(Optional.of("thread-" + winners.getFirst()), first.get(key));
            assertEquals(Optional.of("thread-" + winners.getFirst()), second.get(key));
        }
    }

    @Test
    void concurrentIncrementsAcrossInstancesSumExactly() {
        int threads = 16;
        int perThread = 40;
        List<List<Long>> counts = Race.run(threads, thread -> LongStream.range(0, perThread)
                .map(i -> instance(thread).incrementInWindow("counter", LONG))
                .boxed()
                .toList());

        Set<Long> seen = new HashSet<>();
        counts.forEach(seen::addAll);
        long total = (long) threads * perThread;
        assertEquals(LongStream.rangeClosed(1, total).boxed().collect(Collectors.toSet()), seen);
        assertEquals(total + 1, second.incrementInWindow("counter", LONG));
    }

    private Storage instance(int thread) {
        return thread % 2 == 0 ? first : second;
    }
}
