package dev.ncp.host.storage;

import static dev.ncp.host.testing.HttpCalls.get;
import static dev.ncp.host.testing.HttpCalls.header;
import static dev.ncp.host.testing.HttpCalls.messagesBody;
import static dev.ncp.host.testing.HttpCalls.postMessages;
import static dev.ncp.host.testing.HttpCalls.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.storage.StorageException;
import dev.ncp.host.idempotency.IdempotencyKey;
import dev.ncp.host.idempotency.IdempotentMessages;
import dev.ncp.host.sessions.SessionIds;
import dev.ncp.host.testing.CapturedOutput;
import dev.ncp.host.testing.HttpCalls;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.SwitchableStorageEngine;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Storage that fails at startup or mid-run: requests keep flowing, the skips are counted, recovery is automatic. */
class StorageFailureTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void whileStorageIsDownRequestsFlowWithoutTheFeaturesAndTheyComeBackWithIt() throws Exception {
        var engine = SwitchableStorageEngine.working();
        Map<String, String> env = Map.of("STORAGE_ENGINE", SwitchableStorageEngine.NAME, "RATE_LIMIT_RPM", "2");
        try (var out = new CapturedOutput(); var h = ProxyHarness.start(env, List.of(engine))) {
            for (int i = 0; i < 5; i++) {
                h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            }
            engine.down(true);
            Map<String, String> headers = Map.of(IdempotencyKey.HEADER, "k-outage", SessionIds.HEADER, "s-outage");
            for (int i = 0; i < 3; i++) {
                HttpResponse<byte[]> r = postMessages(h.baseUrl(), messagesBody(false, "Hi"), headers);
                assertEquals(200, r.statusCode(), "request " + i + " during the outage: " + text(r));
                assertEquals(null, header(r, IdempotentMessages.REPLAY_HEADER));
            }
            assertEquals(3, h.upstream().requests().size(), "without storage every request runs");
            JsonNode down = health(h, 503);
            assertEquals("degraded", down.path("status").asText());
            long skipped = down.path("storage").path("degraded_operations").asLong();
            assertTrue(skipped >= 9, "rate limit, idempotency and session skips per request: " + down);
            assertEquals(engine.failures(), skipped, "every failed operation was skipped and counted");
            List<String> warnings = out.text().lines().filter(l -> l.contains("Storage failed")).toList();
            assertEquals(1, warnings.size(), "one warning a minute at most, however many skips: " + warnings);
            assertTrue(warnings.get(0).contains("WARN"), warnings.get(0));
            assertTrue(warnings.get(0).endsWith("Storage failed; rate limit skipped and requests continue without it"
                    + " (1 operations skipped so far, next warning in a minute at most): Lost the connection to the"
                    + " switchable test store."), warnings.get(0));

            engine.down(false);
            HttpCalls.awaitRoomInCurrentMinute(Duration.ofSeconds(10));
            Map<String, String> key = Map.of(IdempotencyKey.HEADER, "k-after");
            HttpResponse<byte[]> first = postMessages(h.baseUrl(), messagesBody(false, "Hi"), key);
            HttpResponse<byte[]> replay = postMessages(h.baseUrl(), messagesBody(false, "Hi"), key);
            HttpResponse<byte[]> limited = postMessages(h.baseUrl(), messagesBody(false, "Hi"), key);
            assertEquals(200, first.statusCode(), text(first));
            assertEquals("true", header(replay, IdempotentMessages.REPLAY_HEADER), "idempotency is back");
            assertEquals(429, limited.statusCode(), "the rate limit is back: " + text(limited));
            assertEquals(4, h.upstream().requests().size());
            JsonNode up = health(h, 200);
            assertEquals(skipped, up.path("storage").path("degraded_operations").asLong());
        }
    }

    @Test
    void aStoreThatCannotOpenStopsStartupWithItsMessage() {
        var e = assertThrows(IllegalStateException.class, () -> ProxyHarness.start(
                Map.of("STORAGE_ENGINE", SwitchableStorageEngine.NAME),
                List.of(SwitchableStorageEngine.unreachable())));
        var cause = assertInstanceOf(StorageException.class, e.getCause());
        assertTrue(cause.getMessage().contains("127.0.0.1:1"), cause.getMessage());
    }

    @Test
    void withMemoryFallbackConfiguredNcpStartsOnMemoryAndSaysSo() throws Exception {
        Map<String, String> env = Map.of("STORAGE_ENGINE", SwitchableStorageEngine.NAME,
                "NCP_STORAGE_FALLBACK", "memory");
        try (var h = ProxyHarness.start(env, List.of(SwitchableStorageEngine.unreachable()))) {
            JsonNode health = health(h, 200);
            assertEquals("memory", health.path("storage").path("engine").asText());
            String fallback = health.path("storage").path("fallback").asText();
            assertTrue(fallback.contains("STORAGE_ENGINE=switchable") && fallback.contains("127.0.0.1:1"), fallback);

            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            Map<String, String> key = Map.of(IdempotencyKey.HEADER, "k-fallback");
            postMessages(h.baseUrl(), messagesBody(false, "Hi"), key);
            HttpResponse<byte[]> replay = postMessages(h.baseUrl(), messagesBody(false, "Hi"), key);
            assertEquals("true", header(replay, IdempotentMessages.REPLAY_HEADER), "features work on the fallback");
        }
    }

    private static JsonNode health(ProxyHarness h, int status) throws Exception {
        HttpResponse<byte[]> r = get(h.baseUrl(), "/health", Map.of());
        assertEquals(status, r.statusCode(), text(r));
        return JSON.readTree(r.body());
    }
}
