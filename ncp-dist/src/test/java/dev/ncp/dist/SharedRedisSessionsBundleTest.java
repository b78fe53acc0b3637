package dev.ncp.dist;

import static dev.ncp.host.testing.HttpCalls.get;
import static dev.ncp.host.testing.HttpCalls.messagesBody;
import static dev.ncp.host.testing.HttpCalls.postMessages;
import static dev.ncp.host.testing.HttpCalls.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.sessions.SessionIds;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.RedisServerProcess;
import dev.ncp.host.testing.ScriptedUpstream;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Claude Code session served by two ncp bundle processes on one real Redis at once (a load balancer spreading
 * its parallel sub-agent requests): the session's counts lose no request.
 */
class SharedRedisSessionsBundleTest {

    private static final int REQUESTS = 24;

    @TempDir
    Path work;

    @Test
    void concurrentRequestsOfOneSessionOnTwoInstancesAreAllCounted() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start(Files.createDirectories(work.resolve("redis")));
                ScriptedUpstream upstream = ScriptedUpstream.start()) {
            String prefix = "sessions-" + UUID.randomUUID() + ":";
            BundleProcess a = instance("a", prefix, redis, upstream);
            BundleProcess b = instance("b", prefix, redis, upstream);
            try (ExecutorService pool = Executors.newFixedThreadPool(REQUESTS)) {
                a.start();
                b.start();
                for (int i = 0; i < REQUESTS; i++) {
                    upstream.enqueue(Script.fixture("text-stop-usage-last.sse"));
                }
                String session = UUID.randomUUID().toString();
                List<Callable<HttpResponse<byte[]>>> calls = new ArrayList<>();
                for (int i = 0; i < REQUESTS; i++) {
                    BundleProcess instance = i % 2 == 0 ? a : b;
                    calls.add(() -> postMessages(instance.url(""), messagesBody(false, "Hi"),
                            Map.of(SessionIds.HEADER, session)));
                }
                for (Future<HttpResponse<byte[]>> answer : pool.invokeAll(calls)) {
                    assertEquals(200, answer.get().statusCode(), text(answer.get()));
                }

                for (BundleProcess instance : List.of(a, b)) {
                    HttpResponse<byte[]> read = get(instance.url(""), "/v1/ncp/sessions/" + session, Map.of());
                    assertEquals(200, read.statusCode(), text(read));
                    JsonNode counted = new ObjectMapper().readTree(read.body());
                    assertEquals(REQUESTS, counted.path("requests").asLong(), counted.toString());
                    assertEquals(REQUESTS, counted.path("models").elements().next().asLong(), counted.toString());
                }
            } finally {
                a.close();
                b.close();
            }
        }
    }

    private BundleProcess instance(String name, String prefix, RedisServerProcess redis, ScriptedUpstream upstream)
            throws Exception {
        return new BundleProcess(Files.createDirectories(work.resolve(name)))
                .env("STORAGE_ENGINE", "redis").env("REDIS_URL", redis.url()).env("REDIS_PREFIX", prefix)
                .env("NVIDIA_BASE_URL", upstream.baseUrl().toString()).env("NVIDIA_API_KEY", ProxyHarness.UPSTREAM_KEY);
    }
}
