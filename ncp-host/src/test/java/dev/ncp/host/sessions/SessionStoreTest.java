package dev.ncp.host.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageHealth;
import dev.ncp.api.storage.StorageSettings;
import dev.ncp.api.stream.Usage;
import dev.ncp.host.storage.MemoryStorageEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SessionStoreTest {

    private static final AnswerSummary ANSWER = new AnswerSummary("m", new Usage(10, 2, 0, 0), false);

    private final IndexWrites storage = new IndexWrites(
            new MemoryStorageEngine().open(new StorageSettings(Path.of("."), Map.of())));
    private final SessionStore store = new SessionStore(storage, new ObjectMapper(),
            Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void theIndexIsWrittenOnlyWhenAnotherSessionBecomesTheMostRecent() {
        store.record("alice", "s-1", ANSWER);
        store.record("alice", "s-1", ANSWER);
        store.record("alice", "s-2", ANSWER);
        store.record("alice", "s-2", ANSWER);
        store.record("alice", "s-1", ANSWER);
        assertEquals(List.of("[\"s-1\"]", "[\"s-2\",\"s-1\"]", "[\"s-1\",\"s-2\"]"), storage.indexWrites);
        assertEquals(3, store.get("alice", "s-1").orElseThrow().requests());
        assertEquals(2, store.get("alice", "s-2").orElseThrow().requests());
    }

    @Test
    void anIdWhoseJsonIsEscapedIsComparedParsedNotByItsText() {
        store.record("alice", "y", ANSWER);
        store.record("alice", "x", ANSWER);
        // Its text makes the index's text start with ["x","y" — but it is not the session "x".
        store.record("alice", "x\",\"y", ANSWER);
        assertEquals(List.of("[\"y\"]", "[\"x\",\"y\"]", "[\"x\\\",\\\"y\",\"x\",\"y\"]"), storage.indexWrites);
        assertEquals(3, store.recent("alice", 10).size());
    }

    @Test
    void twoInstancesCountingOneSessionAtOnceLoseNoRequest() throws Exception {
        // Two stores on one storage are two ncp instances: their in-process locks do not see each other.
        var otherInstance = new SessionStore(storage, new ObjectMapper(), Clock.systemUTC());
        int requests = 200;
        var start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                SessionStore instance = i % 2 == 0 ? store : otherInstance;
                done.add(pool.submit(() -> {
                    start.await();
                    instance.record("alice", "s-shared", ANSWER);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        }
        SessionRecord session = store.get("alice", "s-shared").orElseThrow();
        assertEquals((long) requests, session.requests());
        assertEquals(requests * 10L, session.inputTokens());
    }

    @Test
    void principalsHaveSeparateSessions() {
        store.record("alice", "s-1", ANSWER);
        store.record("bob", "s-1", ANSWER);
        store.record("bob", "s-1", ANSWER);
        assertEquals(1, store.get("alice", "s-1").orElseThrow().requests());
        assertEquals(2, store.get("bob", "s-1").orElseThrow().requests());
        assertEquals(Optional.empty(), store.get("carol", "s-1"));
    }

    /** Storage that keeps every value written to a session index, in order. */
    private static final class IndexWrites implements Storage {
        private final Storage target;
        final List<String> indexWrites = new ArrayList<>();

        IndexWrites(Storage target) {
            this.target = target;
        }

        @Override
        public Optional<String> get(String key) {
            return target.get(key);
        }

        @Override
        public void put(String key, String value, Duration ttl) {
            if (key.startsWith("sessions:")) {
                indexWrites.add(value);
            }
            target.put(key, value, ttl);
        }

        @Override
        public boolean putIfAbsent(String key, String value, Duration ttl) {
            return target.putIfAbsent(key, value, ttl);
        }

        @Override
        public boolean delete(String key) {
            return target.delete(key);
        }

        @Override
        public long incrementInWindow(String key, Duration window) {
            return target.incrementInWindow(key, window);
        }

        @Override
        public StorageHealth health() {
            return target.health();
        }

        @Override
        public void close() {
            target.close();
        }
    }
}
