package dev.ncp.host.limits;

import static dev.ncp.host.testing.HttpCalls.header;
import static dev.ncp.host.testing.HttpCalls.messagesBody;
import static dev.ncp.host.testing.HttpCalls.postMessages;
import static dev.ncp.host.testing.HttpCalls.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.host.testing.HttpCalls;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * NCP_UPSTREAM_RPM and NCP_MAX_CONCURRENT_STREAMS are the default upstream's limits; a named upstream has its own
 * rpm and max_concurrent_streams. Neither spends the other's budget.
 */
@Timeout(60)
class UpstreamBudgetsPerUpstreamTest {

    private static final String NAMED_MODEL = "acme/coder";

    @TempDir
    Path dir;

    private final ScriptedUpstream nimA = ScriptedUpstream.start()
            .fallback(Script.fixture("text-stop-usage-last.sse"));

    @AfterEach
    void close() {
        nimA.close();
    }

    private ProxyHarness proxy(String nimALimits, Map<String, String> settings) throws Exception {
        Path models = Files.writeString(dir.resolve("models.yaml"), """
                upstreams:
                  nim-a: {base_url: "%s", %s}
                models:
                  - id: %s
                    upstreams: [nim-a]
                """.formatted(nimA.baseUrl(), nimALimits, NAMED_MODEL));
        var env = new HashMap<>(settings);
        env.put("NCP_MODELS_FILE", models.toString());
        env.put("NCP_UPSTREAM_MAX_WAIT_SECONDS", "0");
        env.put("NCP_MAX_RETRIES", "0");
        return ProxyHarness.start(env);
    }

    private static String namedBody(boolean stream, String text) {
        return messagesBody(stream, text).replace("claude-opus-4-5", NAMED_MODEL);
    }

    @Test
    void eachUpstreamHasItsOwnMinuteBudget() throws Exception {
        try (var h = proxy("rpm: 2", Map.of("NCP_UPSTREAM_RPM", "1"))) {
            h.upstream().fallback(Script.fixture("text-stop-usage-last.sse"));
            HttpCalls.awaitRoomInCurrentMinute(Duration.ofSeconds(15));

            // Named traffic first: it leaves NCP_UPSTREAM_RPM alone.
            assertEquals(200, postMessages(h.baseUrl(), namedBody(false, "a1"), Map.of()).statusCode());
            assertEquals(200, postMessages(h.baseUrl(), namedBody(false, "a2"), Map.of()).statusCode());
            HttpResponse<byte[]> toDefault = postMessages(h.baseUrl(), messagesBody(false, "d1"), Map.of());
            assertEquals(200, toDefault.statusCode(), text(toDefault));

            // The default's minute is used up: its next request is refused, naming its setting...
            HttpResponse<byte[]> defaultRefused = postMessages(h.baseUrl(), messagesBody(false, "d2"), Map.of());
            assertEquals(429, defaultRefused.statusCode(), text(defaultRefused));
            assertTrue(text(defaultRefused).contains("NCP_UPSTREAM_RPM"), text(defaultRefused));

            // ...and nim-a's own rpm of 2 refuses its third, naming nim-a, without calling it.
            HttpResponse<byte[]> namedRefused = postMessages(h.baseUrl(), namedBody(false, "a3"), Map.of());
            assertEquals(429, namedRefused.statusCode(), text(namedRefused));
            assertTrue(text(namedRefused).contains("\"type\":\"rate_limit_error\""), text(namedRefused));
            assertTrue(text(namedRefused).contains("nim-a"), text(namedRefused));
            assertTrue(Long.parseLong(header(namedRefused, "retry-after")) >= 1, header(namedRefused, "retry-after"));

            assertEquals(2, nimA.requests().size());
            assertEquals(1, h.upstream().requests().size());
        }
    }

    @Test
    void theDefaultsMinuteUsedUpDoesNotStopANamedUpstream() throws Exception {
        try (var h = proxy("rpm: 5", Map.of("NCP_UPSTREAM_RPM", "1"))) {
            h.upstream().fallback(Script.fixture("text-stop-usage-last.sse"));
            HttpCalls.awaitRoomInCurrentMinute(Duration.ofSeconds(15));
            assertEquals(200, postMessages(h.baseUrl(), messagesBody(false, "d1"), Map.of()).statusCode());
            assertEquals(429, postMessages(h.baseUrl(), messagesBody(false, "d2"), Map.of()).statusCode());
            for (int i = 0; i < 3; i++) {
                HttpResponse<byte[]> named = postMessages(h.baseUrl(), namedBody(i % 2 == 0, "a" + i), Map.of());
                assertEquals(200, named.statusCode(), text(named));
            }
            assertEquals(3, nimA.requests().size());
        }
    }

    @Test
    void streamCapsAreCountedPerUpstream() throws Exception {
        try (var h = proxy("max_concurrent_streams: 1", Map.of("NCP_MAX_CONCURRENT_STREAMS", "1"))) {
            h.upstream().fallback(Script.fixture("text-stop-usage-last.sse"));
            // A slow answer holds the default's only stream slot...
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse").delayHeaders(Duration.ofMillis(1500)));
            var slowDefault = CompletableFuture.supplyAsync(() ->
                    postMessages(h.baseUrl(), messagesBody(true, "slow"), Map.of()));
            while (h.upstream().requests().isEmpty()) {
                Thread.sleep(10);
            }
            // ...while nim-a answers at once, in its own slot.
            HttpResponse<byte[]> named = postMessages(h.baseUrl(), namedBody(false, "a1"), Map.of());
            assertEquals(200, named.statusCode(), text(named));
            HttpResponse<byte[]> secondDefault = postMessages(h.baseUrl(), messagesBody(false, "d2"), Map.of());
            assertEquals(429, secondDefault.statusCode(), "the default's slot is still busy: " + text(secondDefault));
            assertTrue(text(secondDefault).contains("NCP_MAX_CONCURRENT_STREAMS"), text(secondDefault));
            assertEquals(200, slowDefault.get().statusCode());

            // And the other way round: nim-a's one slot busy with a slow answer refuses its next, not the default's.
            nimA.enqueue(Script.fixture("text-stop-usage-last.sse").delayHeaders(Duration.ofMillis(1500)));
            var slowNamed = CompletableFuture.supplyAsync(() ->
                    postMessages(h.baseUrl(), namedBody(true, "slow"), Map.of()));
            while (nimA.requests().size() < 2) {
                Thread.sleep(10);
            }
            HttpResponse<byte[]> namedRefused = postMessages(h.baseUrl(), namedBody(false, "a2"), Map.of());
            assertEquals(429, namedRefused.statusCode(), text(namedRefused));
            assertTrue(text(namedRefused).contains("nim-a"), text(namedRefused));
            HttpResponse<byte[]> toDefault = postMessages(h.baseUrl(), messagesBody(false, "d3"), Map.of());
            assertEquals(200, toDefault.statusCode(), text(toDefault));
            assertEquals(200, slowNamed.get().statusCode());
            assertEquals(2, nimA.requests().size());
        }
    }
}
