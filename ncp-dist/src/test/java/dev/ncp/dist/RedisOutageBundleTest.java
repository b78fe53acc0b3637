package dev.ncp.dist;

import static dev.ncp.host.testing.HttpCalls.header;
import static dev.ncp.host.testing.HttpCalls.messagesBody;
import static dev.ncp.host.testing.HttpCalls.postMessages;
import static dev.ncp.host.testing.HttpCalls.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.idempotency.IdempotencyKey;
import dev.ncp.host.idempotency.IdempotentMessages;
import dev.ncp.host.testing.HttpCalls;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.RedisServerProcess;
import dev.ncp.host.testing.ScriptedUpstream;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis killed (SIGKILL) and restarted under load, with an ncp bundle process in front: no request hangs or fails,
 * no answer stored before the kill is lost (Redis writes its append-only file before it acknowledges), and the
 * features come back by themselves.
 */
class RedisOutageBundleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 3;
    private static final int REQUESTS_PER_CLIENT = 80;

    @TempDir
    Path work;

    /** A request that completed, with when it completed. */
    private record Answered(String key, long completedAtNanos, byte[] body) {
    }

    @Test
    void requestsKeepFlowingThroughARedisOutageAndNothingStoredBeforeItIsLost() throws Exception {
        try (var upstream = ScriptedUpstream.start();
             var redis = RedisServerProcess.durable(Files.createDirectories(work.resolve("redis")));
             var ncp = new BundleProcess(Files.createDirectories(work.resolve("ncp")))
                     .env("STORAGE_ENGINE", "redis").env("REDIS_URL", redis.url()).env("REDIS_TIMEOUT_MS", "500")
                     .env("RATE_LIMIT_RPM", "100000")
                     .env("NVIDIA_BASE_URL", upstream.baseUrl().toString())
                     .env("NVIDIA_API_KEY", ProxyHarness.UPSTREAM_KEY);
             ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
            for (int i = 0; i < CLIENTS * REQUESTS_PER_CLIENT + 10; i++) {
                upstream.enqueue(Script.fixture("text-stop-usage-last.sse"));
            }
            ncp.start();
            var answered = new ConcurrentHashMap<String, Answered>();
            var slowest = new AtomicLong();
            List<Future<?>> load = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                load.add(clients.submit(() -> {
                    for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                        String key = "load-" + client + "-" + i;
                        long start = System.nanoTime();
                        // HttpCalls bounds every call (30 s): a hanging request fails the test here.
                        HttpResponse<byte[]> r = postMessages(ncp.url(""), messagesBody(false, key),
                                Map.of(IdempotencyKey.HEADER, key));
                        long end = System.nanoTime();
                        slowest.accumulateAndGet(end - start, Math::max);
                        assertEquals(200, r.statusCode(), key + ": " + text(r));
                        answered.put(key, new Answered(key, end, r.body()));
                        Thread.sleep(40);
                    }
                    return null;
                }));
            }
            Thread.sleep(1_000);
            long killedAt = System.nanoTime();
            redis.kill();
            Thread.sleep(1_500);
            redis.restart();
            for (Future<?> client : load) {
                client.get(); // rethrows a client's failed assertion
            }

            assertTrue(slowest.get() < Duration.ofSeconds(5).toNanos(),
                    "slowest request " + slowest.get() / 1_000_000 + " ms");
            JsonNode health = awaitHealthy(ncp);
            assertTrue(health.path("storage").path("degraded_operations").asLong() > 0,
                    "the outage was noticed and counted: " + health);
            List<String> warnings = (ncp.stdout() + ncp.stderr()).lines()
                    .filter(l -> l.contains("Storage failed;")).toList();
            assertEquals(1, warnings.size(), "one logged warning for the whole outage: " + warnings);
            assertTrue(warnings.get(0).contains("WARN") && warnings.get(0).contains("requests continue without it")
                    && warnings.get(0).contains("Redis at 127.0.0.1:" + redis.port()), warnings.get(0));

            List<Answered> beforeKill = answered.values().stream().filter(a -> a.completedAtNanos() < killedAt)
                    .toList();
            assertTrue(beforeKill.size() >= CLIENTS, "answers were stored before the kill: " + beforeKill.size());
            int upstreamCalls = upstream.requests().size();
            for (Answered a : beforeKill) {
                HttpResponse<byte[]> replay = postMessages(ncp.url(""), messagesBody(false, a.key()),
                        Map.of(IdempotencyKey.HEADER, a.key()));
                assertEquals("true", header(replay, IdempotentMessages.REPLAY_HEADER), a.key() + " was lost");
                assertArrayEquals(a.body(), replay.body());
            }
            assertEquals(upstreamCalls, upstream.requests().size(), "every replay came from Redis");

            Map<String, String> fresh = Map.of(IdempotencyKey.HEADER, "after-recovery");
            postMessages(ncp.url(""), messagesBody(false, "after"), fresh);
            HttpResponse<byte[]> again = postMessages(ncp.url(""), messagesBody(false, "after"), fresh);
            assertEquals("true", header(again, IdempotentMessages.REPLAY_HEADER), "idempotency works again");
        }
    }

    private static JsonNode awaitHealthy(BundleProcess ncp) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            HttpResponse<byte[]> r = HttpCalls.get(ncp.url(""), "/health", Map.of());
            if (r.statusCode() == 200 || System.nanoTime() > deadline) {
                assertEquals(200, r.statusCode(), "ncp did not recover: " + text(r));
                return JSON.readTree(r.body());
            }
            Thread.sleep(100);
        }
    }
}
