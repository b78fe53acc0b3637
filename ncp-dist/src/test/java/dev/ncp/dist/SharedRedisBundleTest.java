package dev.ncp.dist;

import static dev.ncp.host.testing.HttpCalls.header;
import static dev.ncp.host.testing.HttpCalls.messagesBody;
import static dev.ncp.host.testing.HttpCalls.postMessages;
import static dev.ncp.host.testing.HttpCalls.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ncp bundle processes behind an imaginary load balancer, sharing one real Redis: limits and idempotent answers
 * hold across both, as they must for a fleet.
 */
class SharedRedisBundleTest {

    @TempDir
    Path work;

    private RedisServerProcess redis;
    private ScriptedUpstream upstream;
    private BundleProcess a;
    private BundleProcess b;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServerProcess.start(Files.createDirectories(work.resolve("redis")));
        upstream = ScriptedUpstream.start();
        String prefix = "fleet-" + UUID.randomUUID() + ":";
        a = instance("a", prefix);
        b = instance("b", prefix);
        a.start();
        b.start();
    }

    private BundleProcess instance(String name, String prefix) throws Exception {
        return new BundleProcess(Files.createDirectories(work.resolve(name)))
                .env("STORAGE_ENGINE", "redis").env("REDIS_URL", redis.url()).env("REDIS_PREFIX", prefix)
                .env("NVIDIA_BASE_URL", upstream.baseUrl().toString()).env("NVIDIA_API_KEY", ProxyHarness.UPSTREAM_KEY)
                .env("RATE_LIMIT_RPM", "3").env("NCP_UPSTREAM_RPM", "3").env("NCP_RETRY_BACKOFF_MS", "1")
                .env("NCP_MAX_CONCURRENT_STREAMS", "1").env("NCP_UPSTREAM_MAX_WAIT_SECONDS", "0");
    }

    @AfterEach
    void stop() throws Exception {
        a.close();
        b.close();
        upstream.close();
        redis.close();
    }

    @Test
    void theGlobalRateLimitHoldsAcrossInstances() {
        for (int i = 0; i < 3; i++) {
            upstream.enqueue(Script.fixture("text-stop-usage-last.sse"));
        }
        HttpCalls.awaitRoomInCurrentMinute(Duration.ofSeconds(15));
        assertEquals(200, postMessages(a.url(""), messagesBody(false, "1"), Map.of()).statusCode());
        assertEquals(200, postMessages(b.url(""), messagesBody(false, "2"), Map.of()).statusCode());
        HttpResponse<byte[]> third = postMessages(a.url(""), messagesBody(false, "3"), Map.of());
        assertEquals(200, third.statusCode(), text(third));
        assertEquals("0", header(third, "anthropic-ratelimit-requests-remaining"));

        HttpResponse<byte[]> refused = postMessages(b.url(""), messagesBody(false, "4"), Map.of());
        assertEquals(429, refused.statusCode(), "B counts A's requests: " + text(refused));
        assertTrue(text(refused).contains("rate_limit_error"), text(refused));
        assertEquals("3", header(refused, "anthropic-ratelimit-requests-limit"));
        assertEquals(3, upstream.requests().size());
    }

    @Test
    void theUpstreamLimitCountsEveryUpstreamCallAcrossInstances() {
        upstream.enqueue(Script.error("gateway-502-html"));
        upstream.enqueue(Script.fixture("text-stop-usage-last.sse"));
        upstream.enqueue(Script.fixture("text-stop-usage-last.sse"));
        upstream.enqueue(Script.fixture("text-stop-usage-last.sse")); // a fourth call would break NVIDIA's limit
        HttpCalls.awaitRoomInCurrentMinute(Duration.ofSeconds(15));
        HttpResponse<byte[]> retried = postMessages(a.url(""), messagesBody(false, "1"), Map.of());
        HttpResponse<byte[]> onB = postMessages(b.url(""), messagesBody(false, "2"), Map.of());
        HttpResponse<byte[]> refused = postMessages(a.url(""), messagesBody(false, "3"), Map.of());

        assertEquals(200, retried.statusCode(), "A's request took two upstream calls: " + text(retried));
        assertEquals(200, onB.statusCode(), text(onB));
        assertEquals(429, refused.statusCode(), "A's retry and B's call used the minute up: " + text(refused));
        assertTrue(text(refused).contains("\"type\":\"rate_limit_error\""), text(refused));
        assertTrue(text(refused).contains("NCP_UPSTREAM_RPM"), text(refused));
        assertTrue(header(refused, "request-id").startsWith("req_"), header(refused, "request-id"));
        assertEquals(3, upstream.requests().size(), () -> "three upstream calls for an upstream limit of 3: "
                + upstream.requests().stream().map(r -> r.method() + " " + r.path() + " "
                        + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8).substring(0,
                        Math.min(300, r.body().length))).toList());
    }

    @Test
    void anIdempotentStreamAnsweredByOneInstanceIsReplayedByTheOther() {
        upstream.enqueue(Script.fixture("text-then-tool-call.sse"));
        upstream.enqueue(Script.fixture("text-then-tool-call.sse"));
        Map<String, String> key = Map.of(IdempotencyKey.HEADER, "fleet-" + UUID.randomUUID());
        String body = messagesBody(true, "List the files");
        HttpResponse<byte[]> onA = postMessages(a.url(""), body, key);
        HttpResponse<byte[]> onB = postMessages(b.url(""), body, key);

        assertEquals(200, onA.statusCode(), text(onA));
        assertTrue(text(onA).contains("event: message_stop"), text(onA));
        assertNull(header(onA, IdempotentMessages.REPLAY_HEADER));
        assertEquals("true", header(onB, IdempotentMessages.REPLAY_HEADER));
        assertArrayEquals(onA.body(), onB.body());
        assertEquals(1, upstream.requests().size(), "B replayed A's answer without calling the upstream");
    }

    @Test
    void theConcurrentStreamCapHoldsAcrossInstances() throws Exception {
        upstream.enqueue(Script.fixture("text-stop-usage-last.sse").delayHeaders(Duration.ofMillis(1500)));
        upstream.enqueue(Script.fixture("text-stop-usage-last.sse"));
        var slow = CompletableFuture.supplyAsync(() -> postMessages(a.url(""), messagesBody(true, "slow"), Map.of()));
        while (upstream.requests().isEmpty()) {
            Thread.sleep(10);
        }
        HttpResponse<byte[]> refused = postMessages(b.url(""), messagesBody(false, "busy"), Map.of());
        assertEquals(429, refused.statusCode(), "A holds the only slot: " + text(refused));
        assertTrue(text(refused).contains("NCP_MAX_CONCURRENT_STREAMS"), text(refused));
        assertEquals(200, slow.get().statusCode());
        assertEquals(200, postMessages(b.url(""), messagesBody(false, "free"), Map.of()).statusCode());
    }
}
