package dev.ncp.dist;

import static dev.ncp.host.testing.HttpCalls.get;
import static dev.ncp.host.testing.HttpCalls.postMessages;
import static dev.ncp.host.testing.HttpCalls.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.host.testing.RedisServerProcess;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.ScriptedUpstream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ncp bundle processes sharing one real Redis, a model deployed on two upstreams, one of which answers 503 to
 * everything: the failures instance A sees open that deployment's breaker in Redis, and instance B then sends it
 * nothing at all — while the clients of both get every answer from the healthy deployment.
 */
class SharedRedisBreakersBundleTest {

    private static final String MODEL = "acme/coder-large";

    @TempDir
    Path work;

    private RedisServerProcess redis;
    private final ScriptedUpstream broken = ScriptedUpstream.start()
            .fallback(Script.error("nim-503-overloaded"));
    private final ScriptedUpstream healthy = ScriptedUpstream.start()
            .fallback(Script.fixture("text-stop-usage-last.sse"));
    private BundleProcess a;
    private BundleProcess b;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServerProcess.start(Files.createDirectories(work.resolve("redis")));
        Path models = work.resolve("models.yaml");
        Files.writeString(models, """
                upstreams:
                  nim-broken: {base_url: "%s", api_key_env: NIM_BROKEN_KEY}
                  nim-healthy: {base_url: "%s", api_key_env: NIM_HEALTHY_KEY}
                models:
                  - id: %s
                    upstreams: [nim-broken, nim-healthy]
                """.formatted(broken.baseUrl(), healthy.baseUrl(), MODEL));
        String prefix = "fleet-" + UUID.randomUUID() + ":";
        a = instance("a", prefix, models).start();
        b = instance("b", prefix, models).start();
    }

    private BundleProcess instance(String name, String prefix, Path models) throws Exception {
        // The rate decides here: 4 calls in the window are enough volume, and the row trigger is out of reach. The
        // windows are fixed (counted per slot of NCP_BREAKER_WINDOW_SECONDS): an hour-long one keeps the test's calls
        // in one slot, where the default 30 s could split them across two, neither with the 4 calls.
        return new BundleProcess(Files.createDirectories(work.resolve(name)))
                .env("STORAGE_ENGINE", "redis").env("REDIS_URL", redis.url()).env("REDIS_PREFIX", prefix)
                .env("NCP_MODELS_FILE", models.toString()).env("NIM_BROKEN_KEY", "nvapi-broken-0123456789")
                .env("NIM_HEALTHY_KEY", "nvapi-healthy-0123456789").env("NVIDIA_API_KEY", "nvapi-unused-000000")
                .env("NCP_BREAKER_MIN_CALLS", "4").env("NCP_BREAKER_FAILURES", "1000")
                .env("NCP_BREAKER_OPEN_SECONDS", "120").env("NCP_BREAKER_WINDOW_SECONDS", "3600");
    }

    @AfterEach
    void stop() throws Exception {
        a.close();
        b.close();
        broken.close();
        healthy.close();
        redis.close();
    }

    private static String body(String text) {
        return "{\"model\":\"" + MODEL + "\",\"max_tokens\":64,\"stream\":false,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    }

    @Test
    void oneInstancesFailuresOpenTheBreakerForBothAndTheHealthyDeploymentAnswersEveryone() {
        for (int i = 0; i < 12; i++) {
            HttpResponse<byte[]> r = postMessages(a.url(""), body("a " + i), Map.of());
            assertEquals(200, r.statusCode(), "A's clients never see the broken deployment: " + text(r));
        }
        int brokenCalls = broken.requests().size();
        assertTrue(brokenCalls >= 4, "A tried the broken deployment until its breaker opened: " + brokenCalls);
        assertTrue(brokenOpenOn(b), "B sees the breaker A opened: " + text(get(b.url(""), "/health", Map.of())));

        for (int i = 0; i < 10; i++) {
            HttpResponse<byte[]> onB = postMessages(b.url(""), body("b " + i), Map.of());
            HttpResponse<byte[]> onA = postMessages(a.url(""), body("a again " + i), Map.of());
            assertEquals(200, onB.statusCode(), text(onB));
            assertEquals(200, onA.statusCode(), text(onA));
        }
        assertEquals(brokenCalls, broken.requests().size(), "neither instance sends the open deployment anything");
        assertTrue(brokenOpenOn(b), "B reports the breaker open: " + text(get(b.url(""), "/health", Map.of())));
        String metrics = text(get(b.url(""), "/metrics", Map.of()));
        assertTrue(metrics.contains("ncp_upstream_breaker_state{model=\"" + MODEL + "\",upstream=\"nim-broken\"} 2.0"),
                "B's gauge shows it open");
        healthy.requests().forEach(r -> assertEquals("Bearer nvapi-healthy-0123456789", r.header("authorization")));
        broken.requests().forEach(r -> assertEquals("Bearer nvapi-broken-0123456789", r.header("authorization")));
    }

    private static boolean brokenOpenOn(BundleProcess instance) {
        String health = text(get(instance.url(""), "/health", Map.of()));
        int at = health.indexOf("\"nim-broken|" + MODEL + "\"");
        return at >= 0 && health.indexOf("\"state\":\"open\"", at) > at;
    }
}
