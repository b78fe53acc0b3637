package dev.ncp.host.idempotency;

import static dev.ncp.host.testing.HttpCalls.header;
import static dev.ncp.host.testing.HttpCalls.messagesBody;
import static dev.ncp.host.testing.HttpCalls.postMessages;
import static dev.ncp.host.testing.HttpCalls.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.InternalServerException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Idempotency through a real ncp, for any storage engine: each engine's test class says how to start the proxy on
 * it. Clients are the Anthropic SDK (and raw HTTP where exact bytes matter); the upstream is a scripted server that
 * records every call it gets.
 */
public abstract class IdempotencyScenarios {

    /** Starts ncp on the engine under test with these extra settings. */
    protected abstract ProxyHarness startProxy(Map<String, String> env);

    private static MessageCreateParams.Builder hello() {
        return MessageCreateParams.builder().model("claude-opus-4-5").maxTokens(64).addUserMessage("Hi");
    }

    private static MessageCreateParams hello(String key) {
        return hello().putAdditionalHeader(IdempotencyKey.HEADER, key).build();
    }

    private static String newKey() {
        return "key-" + UUID.randomUUID();
    }

    @Test
    public void aRepeatedRequestReplaysTheStoredAnswerWithoutCallingTheUpstreamAgain() {
        try (var h = startProxy(Map.of())) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            String key = newKey();
            HttpResponseFor<Message> first = h.client().messages().withRawResponse().create(hello(key));
            HttpResponseFor<Message> again = h.client().messages().withRawResponse().create(hello(key));

            assertEquals(1, h.upstream().requests().size(), "the repeat must not reach the upstream");
            Message original = first.parse();
            assertEquals(original, again.parse());
            assertTrue(original.content().get(0).asText().text().startsWith("Hello! I can help"));
            assertEquals(List.of("true"), again.headers().values(IdempotentMessages.REPLAY_HEADER));
            assertEquals(List.of(), first.headers().values(IdempotentMessages.REPLAY_HEADER));
            String replayId = again.headers().values("request-id").get(0);
            assertTrue(replayId.startsWith("req_"), replayId);
            assertNotEquals(first.headers().values("request-id").get(0), replayId,
                    "a replay is a new request with its own id");
        }
    }

    @Test
    public void aRepeatedStreamReplaysTheSameEventBytes() {
        try (var h = startProxy(Map.of())) {
            h.upstream().enqueue(Script.fixture("text-then-tool-call.sse").chunked(40, Duration.ofMillis(1)));
            Map<String, String> key = Map.of(IdempotencyKey.ALTERNATE_HEADER, newKey());
            String body = messagesBody(true, "List the files");
            HttpResponse<byte[]> first = postMessages(h.baseUrl(), body, key);
            HttpResponse<byte[]> again = postMessages(h.baseUrl(), body, key);

            assertEquals(200, first.statusCode(), text(first));
            assertTrue(text(first).contains("event: message_stop"), text(first));
            assertEquals(200, again.statusCode(), text(again));
            assertArrayEquals(first.body(), again.body(), "the replay must be byte for byte the first stream");
            assertTrue(header(again, "content-type").startsWith("text/event-stream"), header(again, "content-type"));
            assertEquals("true", header(again, IdempotentMessages.REPLAY_HEADER));
            assertNull(header(first, IdempotentMessages.REPLAY_HEADER));
            assertNotEquals(header(first, "request-id"), header(again, "request-id"));
            assertEquals(1, h.upstream().requests().size());
        }
    }

    @Test
    public void theSdkReadsAReplayedStreamIntoTheSameMessage() {
        try (var h = startProxy(Map.of())) {
            h.upstream().enqueue(Script.fixture("text-then-tool-call.sse"));
            var params = hello().putAdditionalHeader(IdempotencyKey.HEADER, newKey()).build();
            var original = MessageAccumulator.create();
            try (var stream = h.client().messages().createStreaming(params)) {
                stream.stream().forEach(original::accumulate);
            }
            var replayed = MessageAccumulator.create();
            try (var stream = h.client().messages().createStreaming(params)) {
                stream.stream().forEach(replayed::accumulate);
            }
            assertEquals(1, h.upstream().requests().size());
            assertEquals(original.message(), replayed.message());
            assertEquals("Bash", replayed.message().content().get(1).asToolUse().name());
        }
    }

    @Test
    public void theSameKeyWithAnotherBodyIsRefusedWith400() {
        try (var h = startProxy(Map.of())) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            String key = newKey();
            h.client().messages().create(hello(key));
            var other = MessageCreateParams.builder().model("claude-opus-4-5").maxTokens(64)
                    .addUserMessage("Something else").putAdditionalHeader(IdempotencyKey.HEADER, key).build();
            var e = assertThrows(BadRequestException.class, () -> h.client().messages().create(other));
            assertEquals(400, e.statusCode());
            assertTrue(e.getMessage().contains("invalid_request_error"), e.getMessage());
            assertTrue(e.getMessage().contains("Idempotency key mismatch"), e.getMessage());
            assertEquals(1, h.upstream().requests().size());
        }
    }

    @Test
    public void concurrentDuplicatesCallTheUpstreamOnceAndGetTheSameAnswer() throws Exception {
        try (var h = startProxy(Map.of()); ExecutorService pool = Executors.newFixedThreadPool(2)) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse").delayHeaders(Duration.ofMillis(800)));
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse")); // a second call would succeed: it must not happen
            String key = newKey();
            Callable<HttpResponse<byte[]>> call = () -> postMessages(h.baseUrl(), messagesBody(false, "Hi"),
                    Map.of(IdempotencyKey.HEADER, key));
            var answers = pool.invokeAll(List.of(call, call));
            HttpResponse<byte[]> a = answers.get(0).get();
            HttpResponse<byte[]> b = answers.get(1).get();

            assertEquals(200, a.statusCode(), text(a));
            assertEquals(200, b.statusCode(), text(b));
            assertArrayEquals(a.body(), b.body());
            assertEquals(1, h.upstream().requests().size());
            long replays = List.of(a, b).stream()
                    .filter(r -> "true".equals(header(r, IdempotentMessages.REPLAY_HEADER))).count();
            assertEquals(1, replays, "one ran, the other waited for it and replayed");
        }
    }

    @Test
    public void aDuplicateWaitsOnlyUpToItsBoundThenGets409StillInProgress() throws Exception {
        try (var h = startProxy(Map.of("NCP_IDEMPOTENCY_MAX_WAIT_MS", "200"));
                ExecutorService pool = Executors.newSingleThreadExecutor()) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse").delayHeaders(Duration.ofSeconds(3)));
            String key = newKey();
            Callable<HttpResponse<byte[]>> call = () -> postMessages(h.baseUrl(), messagesBody(false, "Hi"),
                    Map.of(IdempotencyKey.HEADER, key));
            var first = pool.submit(call);
            while (h.upstream().requests().isEmpty()) { // the first holds the claim once it reached the upstream
                Thread.sleep(5);
            }

            long start = System.nanoTime();
            HttpResponse<byte[]> duplicate = call.call();
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;

            assertEquals(409, duplicate.statusCode(), text(duplicate));
            assertFalse(first.isDone(), "the 409 came while the first request still ran");
            assertTrue(waitedMillis >= 200, "it waited its bound first: " + waitedMillis + " ms");
            assertTrue(text(duplicate).contains("\"type\":\"invalid_request_error\""), text(duplicate));
            assertTrue(text(duplicate).contains("A request with this anthropic-idempotency-key is still in progress"
                    + " after waiting 200 ms; retry later."), text(duplicate));
            assertTrue(header(duplicate, "request-id").startsWith("req_"), header(duplicate, "request-id"));

            assertEquals(200, first.get().statusCode(), text(first.get()));
            HttpResponse<byte[]> later = call.call();
            assertArrayEquals(first.get().body(), later.body(), "once the first is done, the key replays it");
            assertEquals("true", header(later, IdempotentMessages.REPLAY_HEADER));
            assertEquals(1, h.upstream().requests().size());
        }
    }

    @Test
    public void aFailedAnswerIsNotStoredSoARetryRunsAndItsSuccessIsKept() {
        // ncp's own upstream retries off, and every candidate of the model's fallback chain (the bundle's registry has
        // chains) fails while `failing` holds, so the 502 reaches the client as a failed answer.
        try (var h = startProxy(Map.of("NCP_MAX_RETRIES", "0"))) {
            var failing = new java.util.concurrent.atomic.AtomicBoolean(true);
            h.upstream().fallback(request -> failing.get()
                    ? Script.error("gateway-502-html") : Script.fixture("text-stop-usage-last.sse"));
            String key = newKey();
            assertThrows(InternalServerException.class, () -> h.client().messages().create(hello(key)));
            int failedCalls = h.upstream().requests().size();
            failing.set(false);
            Message retried = h.client().messages().create(hello(key));
            Message replayed = h.client().messages().create(hello(key));

            assertEquals(failedCalls + 1, h.upstream().requests().size(), "the retry ran; the third request replayed");
            assertEquals(retried, replayed);
        }
    }

    @Test
    public void aStreamThatEndsInAnErrorEventIsNotStored() {
        try (var h = startProxy(Map.of())) {
            h.upstream().enqueue(Script.fixture("truncated-no-done.sse"));
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            Map<String, String> key = Map.of(IdempotencyKey.HEADER, newKey());
            String body = messagesBody(true, "Hi");
            HttpResponse<byte[]> failed = postMessages(h.baseUrl(), body, key);
            HttpResponse<byte[]> retried = postMessages(h.baseUrl(), body, key);

            assertEquals(200, failed.statusCode(), "a stream's failure comes as an error event");
            assertTrue(text(failed).contains("event: error"), text(failed));
            assertFalse(text(retried).contains("event: error"), text(retried));
            assertTrue(text(retried).contains("event: message_stop"), text(retried));
            assertNull(header(retried, IdempotentMessages.REPLAY_HEADER));
            assertEquals(2, h.upstream().requests().size(), "the failed stream must not be replayed");
        }
    }
}
