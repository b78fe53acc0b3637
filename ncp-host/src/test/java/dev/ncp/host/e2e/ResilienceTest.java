package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.InternalServerException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.OverloadedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.testing.Fixtures;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a client sees, through the Anthropic Java SDK or on the SSE wire, for each way the upstream fails: a retry
 * that succeeded (the upstream saw two requests), a fallback to another model (the upstream saw its id), or one
 * clean Anthropic error — the most useful one when every candidate failed.
 */
@Timeout(60)
class ResilienceTest {

    static final String PRIMARY = "qwen/qwen3-coder-480b-a35b-instruct";
    static final String FALLBACK = "meta/llama-3.3-70b-instruct";
    static final String ANSWER = "Hello! I can help with that. Here is a short answer with unicode: "
            + "na\u00efve caf\u00e9 \u2014 \u2713 \u65e5\u672c\u8a9e.";
    static final Script OK = Script.fixture("text-stop-usage-last.sse");

    /** Fast retries, so the tests do not sleep for real backoffs. */
    static ProxyHarness proxy(String... settings) {
        Map<String, String> env = new HashMap<>(Map.of("NCP_RETRY_BACKOFF_MS", "20"));
        for (int i = 0; i < settings.length; i += 2) {
            env.put(settings[i], settings[i + 1]);
        }
        return ProxyHarness.start(env);
    }

    static Message ask(ProxyHarness h) {
        return ask(h, 1024);
    }

    static Message ask(ProxyHarness h, long maxTokens) {
        return h.client().messages().create(MessageCreateParams.builder().model("claude-opus-5-5")
                .maxTokens(maxTokens).addUserMessage("Hi").build());
    }

    static String text(Message m) {
        return m.content().get(0).asText().text();
    }

    static List<String> upstreamModels(ProxyHarness h) {
        return h.upstream().requests().stream().map(r -> r.json().path("model").asText()).toList();
    }

    // --- retries -------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {500, 502, 503, 529, 408})
    void aTransientUpstreamFailureIsRetriedAndTheClientGetsTheAnswer(int status) {
        try (var h = proxy()) {
            h.upstream().enqueue(Script.status(status, Map.of("content-type", "application/json"),
                    "{\"error\":{\"message\":\"try again\"}}")).enqueue(OK);
            assertEquals(ANSWER, text(ask(h)));
            assertEquals(List.of(PRIMARY, PRIMARY), upstreamModels(h));
        }
    }

    @Test
    void retriesStopAtNcpMaxRetriesAndTheClientGetsTheUpstreamsError() {
        try (var h = proxy("NCP_MAX_RETRIES", "2")) {
            for (int i = 0; i < 3; i++) {
                h.upstream().enqueue(Script.error("nim-503-overloaded"));
            }
            h.upstream().enqueue(OK); // never reached
            var e = assertThrows(OverloadedException.class, () -> ask(h));
            assertEquals(529, e.statusCode());
            assertEquals(3, h.upstream().requests().size());
        }
    }

    @Test
    void aConnectionResetBeforeTheHeadersIsRetried() {
        try (var h = proxy()) {
            h.upstream().enqueue(Script.resetBeforeHeaders()).enqueue(OK);
            assertEquals(ANSWER, text(ask(h)));
            assertEquals(2, h.upstream().requests().size());
        }
    }

    @Test
    void aRefusedConnectionIsRetriedThenAnsweredAsAnApiError() throws Exception {
        int closedPort;
        try (var s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (var h = proxy("NVIDIA_BASE_URL", "http://127.0.0.1:" + closedPort + "/v1")) {
            long start = System.nanoTime();
            var e = assertThrows(InternalServerException.class, () -> ask(h));
            assertEquals(502, e.statusCode());
            JsonNode body = SdkAnswer.inputOf(e.body());
            assertEquals("api_error", body.path("error").path("type").asText());
            assertTrue(body.path("error").path("message").asText().contains("could not reach the upstream"), body.toString());
            // two backoffs of at least 10 ms and 20 ms: the retries happened
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 30);

            Wire.Reply streamed = Wire.post(h, "/v1/messages", SseWireTest.STREAMED_HI);
            SseEvents sse = SseEvents.parse(streamed.body());
            assertEquals(List.of("message_start", "error"), sse.names());
            assertEquals("api_error", sse.first("error").data().path("error").path("type").asText());
        }
    }

    @Test
    void aConnectThatHangsIsCutAtTheConnectDeadlineRetriedThenATimeoutError() throws Exception {
        try (var silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             var queued = new Closer()) {
            fillAcceptQueue(silent, queued);
            try (var h = proxy("NVIDIA_BASE_URL", "http://127.0.0.1:" + silent.getLocalPort() + "/v1",
                    "NCP_CONNECT_TIMEOUT_SECONDS", "1", "NCP_MAX_RETRIES", "1")) {
                long start = System.nanoTime();
                var e = assertThrows(AnthropicServiceException.class, () -> ask(h));
                long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
                assertEquals(504, e.statusCode());
                JsonNode error = SdkAnswer.inputOf(e.body()).path("error");
                assertEquals("timeout_error", error.path("type").asText());
                assertTrue(error.path("message").asText().contains("no connection within 1 s"), error.toString());
                assertTrue(e.requestId().orElse("").startsWith("req_"), "request-id header");
                // Two attempts of one second each (the default deadline, 10 s, would take 20 s).
                assertTrue(millis >= 2000 && millis < 6000, "answered after " + millis + " ms");

                SseEvents sse = SseEvents.parse(Wire.post(h, "/v1/messages", SseWireTest.STREAMED_HI).body());
                assertEquals(List.of("message_start", "error"), sse.names());
                assertEquals("timeout_error", sse.first("error").data().path("error").path("type").asText());
            }
        }
    }

    /**
     * Connects to {@code server} (which never accepts) until its accept queue is full: from then on the kernel
     * drops new SYNs, so a connect hangs as it does to a host that does not answer.
     */
    private static void fillAcceptQueue(ServerSocket server, Closer queued) throws IOException {
        for (int i = 0; i < 16; i++) {
            var socket = queued.add(new Socket());
            try {
                socket.connect(server.getLocalSocketAddress(), 300);
            } catch (SocketTimeoutException full) {
                return;
            }
        }
        throw new AssertionError("the accept queue never filled");
    }

    /** Closes the sockets it was given. */
    private static final class Closer implements AutoCloseable {
        private final List<Socket> sockets = new java.util.ArrayList<>();

        Socket add(Socket s) {
            sockets.add(s);
            return s;
        }

        @Override
        public void close() throws IOException {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void anUpstreamThatAnswersLaterThanTheFirstByteDeadlineIsRetried() {
        try (var h = proxy("NCP_FIRST_BYTE_TIMEOUT_SECONDS", "1")) {
            h.upstream().enqueue(OK.delayHeaders(Duration.ofSeconds(3))).enqueue(OK);
            assertEquals(ANSWER, text(ask(h)));
            assertEquals(2, h.upstream().requests().size());
        }
    }

    @Test
    void anUpstreamWhoseBodyNeverBeginsIsRetriedAfterTheFirstByteDeadline() {
        try (var h = proxy("NCP_FIRST_BYTE_TIMEOUT_SECONDS", "1")) {
            h.upstream().enqueue(Script.stream(new byte[0]).thenHang()).enqueue(OK);
            Wire.Reply reply = Wire.post(h, "/v1/messages", SseWireTest.STREAMED_HI);
            SseEvents sse = SseEvents.parse(reply.body());
            sse.assertGrammar();
            assertEquals("end_turn", sse.first("message_delta").data().path("delta").path("stop_reason").asText());
            assertEquals(1, sse.names().stream().filter("message_start"::equals).count(), "one message_start");
            assertEquals(2, h.upstream().requests().size());
        }
    }

    @Test
    void aMalformedChunkBeforeAnyContentIsRetried() {
        try (var h = proxy()) {
            h.upstream().enqueue(Script.stream("data: {\"id\": not json}\n\n".getBytes(StandardCharsets.UTF_8)))
                    .enqueue(OK);
            assertEquals(ANSWER, text(ask(h)));
            assertEquals(2, h.upstream().requests().size());
        }
    }

    @Test
    void aRateLimitIsRetriedAfterItsRetryAfter() {
        try (var h = proxy()) {
            h.upstream().enqueue(Script.status(429, Map.of("retry-after", "1"), "{\"status\":429}")).enqueue(OK);
            long start = System.nanoTime();
            assertEquals(ANSWER, text(ask(h)));
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 1000, "waited the Retry-After");
            assertEquals(2, h.upstream().requests().size());
        }
    }

    @Test
    void aRateLimitWithoutRetryAfterIsRetriedAfterABackoff() {
        try (var h = proxy()) {
            h.upstream().enqueue(Script.status(429, Map.of(), "{\"status\":429,\"title\":\"Too Many Requests\"}"))
                    .enqueue(OK);
            assertEquals(ANSWER, text(ask(h)));
            assertEquals(2, h.upstream().requests().size());
        }
    }

    @Test
    void aRetryAfterLongerThanTheMaximumWaitIsPassedToTheClientUnwaited() {
        try (var h = proxy("NCP_RETRY_MAX_WAIT_SECONDS", "2")) {
            h.upstream().enqueue(Script.error("nim-429-problem-details")); // retry-after: 7
            var e = assertThrows(RateLimitException.class, () -> ask(h));
            assertEquals(List.of("7"), e.headers().values("retry-after"));
            assertEquals(1, h.upstream().requests().size());
        }
    }

    @Test
    void aClientErrorIsNeverRetried() {
        try (var h = proxy()) {
            h.upstream().enqueue(Script.error("openai-style-401")).enqueue(OK);
            assertThrows(com.anthropic.errors.UnauthorizedException.class, () -> ask(h));
            assertEquals(1, h.upstream().requests().size());
        }
    }

    // --- after content: no retry, one error event ------------------------------------------------------------------

    @Test
    void aResetMidStreamAfterContentEndsTheStreamWithOneErrorEvent() {
        try (var h = proxy()) {
            h.upstream().enqueue(Script.stream(firstChunks()).thenReset()).enqueue(OK);
            Wire.Reply reply = Wire.post(h, "/v1/messages", SseWireTest.STREAMED_HI);
            List<String> names = SseEvents.parse(reply.body()).names();
            assertEquals("error", names.get(names.size() - 1), names.toString());
            assertTrue(names.contains("content_block_delta"), names.toString());
            assertEquals(1, h.upstream().requests().size(), "content had reached the client: no retry");
        }
    }

    @Test
    void aStallMidStreamEndsTheAnswerAfterTheIdleDeadline() {
        // No retries: a whole answer's stall would be retried (nothing had reached its client).
        try (var h = proxy("NCP_IDLE_TIMEOUT_SECONDS", "1", "NCP_MAX_RETRIES", "0")) {
            h.upstream().enqueue(Script.stream(firstChunks()).thenHang());
            Wire.Reply reply = Wire.post(h, "/v1/messages", SseWireTest.STREAMED_HI);
            SseEvents sse = SseEvents.parse(reply.body());
            JsonNode error = sse.first("error").data().path("error");
            assertEquals("timeout_error", error.path("type").asText());
            assertTrue(error.path("message").asText().contains("sent nothing for 1 s"), error.toString());

            h.upstream().enqueue(Script.stream(firstChunks()).thenHang());
            var e = assertThrows(InternalServerException.class, () -> ask(h));
            assertEquals(504, e.statusCode());
            assertEquals(2, h.upstream().requests().size());
        }
    }

    @Test
    void anAnswerLongerThanTheRequestTimeoutIsAbandonedWithATimeoutError() {
        try (var h = proxy("REQUEST_TIMEOUT_SECONDS", "2")) {
            // Content, then SSE comments forever: never idle, never finished.
            h.upstream().enqueue(Script.stream(firstChunks()).thenTrickle(Duration.ofMillis(100)));
            long start = System.nanoTime();
            SseEvents sse = SseEvents.parse(Wire.post(h, "/v1/messages", SseWireTest.STREAMED_HI).body());
            JsonNode error = sse.first("error").data().path("error");
            assertEquals("timeout_error", error.path("type").asText());
            assertTrue(error.path("message").asText().contains("longer than 2 s"), error.toString());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 2000);
        }
    }

    @Test
    void aMalformedChunkAfterContentIsAnApiErrorEvent() {
        try (var h = proxy()) {
            byte[] broken = (new String(firstChunks(), StandardCharsets.UTF_8) + "data: {oops\n\n")
                    .getBytes(StandardCharsets.UTF_8);
            h.upstream().enqueue(Script.stream(broken));
            SseEvents sse = SseEvents.parse(Wire.post(h, "/v1/messages", SseWireTest.STREAMED_HI).body());
            assertEquals("api_error", sse.first("error").data().path("error").path("type").asText());
            assertTrue(sse.first("error").data().path("error").path("message").asText().contains("not valid JSON"));
            assertEquals(1, h.upstream().requests().size());
        }
    }

    @Test
    void aStreamWithoutDoneAfterItsFinishReasonIsAWholeAnswer() {
        try (var h = proxy()) {
            String whole = new String(Fixtures.upstream("text-stop-usage-last.sse"), StandardCharsets.UTF_8);
            h.upstream().enqueue(Script.stream(whole.replace("data: [DONE]\n\n", "").getBytes(StandardCharsets.UTF_8)));
            Message m = ask(h);
            assertEquals(ANSWER, text(m));
            assertEquals("end_turn", m.stopReason().orElseThrow().asString());
        }
    }

    @Test
    void aStreamCutBeforeItsFinishReasonIsAnApiErrorNotASilentEndTurn() {
        try (var h = proxy()) {
            h.upstream().fallback(Script.fixture("truncated-no-done.sse"));
            var e = assertThrows(InternalServerException.class, () -> ask(h));
            JsonNode error = SdkAnswer.inputOf(e.body()).path("error");
            assertEquals("api_error", error.path("type").asText());
            assertTrue(error.path("message").asText().contains("before finishing"), error.toString());
            assertEquals(3, h.upstream().requests().size(), "a whole answer: the first call and two retries");
        }
    }

    // --- a whole answer (stream: false): nothing reaches the client before the end, so a failure mid-answer is retried

    @Test
    void aResetMidAnswerOfAWholeAnswerIsRetriedAndTheClientGetsTheWholeAnswer() {
        try (var h = proxy()) {
            h.upstream().enqueue(Script.stream(firstChunks()).thenReset()).enqueue(OK);
            Message m = ask(h);
            assertEquals(ANSWER, text(m), "only the second attempt's text, not the first one's beginning too");
            assertEquals(1, m.content().size());
            assertEquals("end_turn", m.stopReason().orElseThrow().asString());
            assertEquals(2, h.upstream().requests().size());
        }
    }

    @Test
    void aWholeAnswerCutOffOrEndedByAnInStreamErrorIsRetried() {
        try (var h = proxy()) {
            h.upstream().enqueue(Script.fixture("truncated-no-done.sse"))
                    .enqueue(Script.fixture("error-chunk-mid-stream.sse")).enqueue(OK);
            Message m = ask(h);
            assertEquals(ANSWER, text(m));
            assertEquals(3, h.upstream().requests().size());
        }
    }

    @Test
    void aClientErrorInTheStreamOfAWholeAnswerIsNotRetried() {
        try (var h = proxy()) {
            String refusal = new String(firstChunks(), StandardCharsets.UTF_8) + "data: {\"error\": {\"message\": "
                    + "\"Invalid JSON schema for tool Bash.\", \"type\": \"invalid_request_error\","
                    + " \"code\": 400}}\n\n";
            h.upstream().enqueue(Script.stream(refusal.getBytes(StandardCharsets.UTF_8))).enqueue(OK);
            var e = assertThrows(BadRequestException.class, () -> ask(h));
            assertTrue(SdkAnswer.inputOf(e.body()).path("error").path("message").asText().contains("Invalid JSON schema"),
                    e.body().toString());
            assertEquals(1, h.upstream().requests().size(), "an invalid request is the same on every try");
        }
    }

    // --- context length --------------------------------------------------------------------------------------------

    @Test
    void aContextLengthRefusalIsRetriedOnceWithAMaxTokensThatFits() {
        try (var h = proxy()) {
            // "maximum context length is 131072 tokens. However, you requested 140000 tokens (123616 in the messages,
            // 16384 in the completion)": 131072 - 123616 - 64 = 7392 tokens of room
            h.upstream().enqueue(Script.error("vllm-400-context-length")).enqueue(OK);
            assertEquals(ANSWER, text(ask(h, 16_000)));
            var sent = h.upstream().requests();
            assertEquals(16_000, sent.get(0).json().path("max_tokens").asInt());
            assertEquals(7392, sent.get(1).json().path("max_tokens").asInt());
        }
    }

    @Test
    void aContextLengthRefusalAfterTheReducedRetryIsPromptTooLong() {
        try (var h = proxy()) {
            h.upstream().enqueue(Script.error("vllm-400-context-length"))
                    .enqueue(Script.error("vllm-400-context-length"));
            var e = assertThrows(BadRequestException.class, () -> ask(h, 16_000));
            assertTrue(SdkAnswer.inputOf(e.body()).path("error").path("message").asText()
                    .startsWith("prompt is too long: 140000 tokens > 131072 maximum"));
            assertEquals(2, h.upstream().requests().size());
        }
    }

    @Test
    void anInputLongerThanTheContextIsPromptTooLongAtOnce() {
        try (var h = proxy()) {
            h.upstream().enqueue(Script.error("vllm-400-input-too-long")).enqueue(OK);
            var e = assertThrows(BadRequestException.class, () -> ask(h, 16_000));
            JsonNode error = SdkAnswer.inputOf(e.body()).path("error");
            assertEquals("invalid_request_error", error.path("type").asText());
            assertTrue(error.path("message").asText().startsWith("prompt is too long: 200512 tokens > 131072 maximum"));
            assertEquals(1, h.upstream().requests().size());
        }
    }

    // --- fallbacks -------------------------------------------------------------------------------------------------

    @Test
    void aFallbackModelGetsTheRequestAsRoutedWithoutTheSubagentTag() {
        try (var h = proxy("NCP_FALLBACK_MODELS", FALLBACK)) {
            h.upstream().enqueue(Script.error("nim-410-retired")).enqueue(OK);
            Message m = h.client().messages().create(MessageCreateParams.builder().model("claude-opus-5-5")
                    .maxTokens(1024).system("<CCR-SUBAGENT-MODEL>claude-qwen3</CCR-SUBAGENT-MODEL>You review code.")
                    .addUserMessage("Hi").build());
            assertEquals(ANSWER, text(m));
            List<String> models = upstreamModels(h);
            assertEquals(2, models.size(), models.toString());
            assertEquals(FALLBACK, models.get(1));
            for (var sent : h.upstream().requests()) {
                String system = sent.json().path("messages").path(0).path("content").asText();
                assertEquals("You review code.", system, sent.json().toString());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nim-404-unknown-model", "nim-410-retired"})
    void aMissingOrRetiredModelFallsBackToTheNextModelAtOnce(String error) {
        try (var h = proxy("NCP_FALLBACK_MODELS", FALLBACK)) {
            h.upstream().enqueue(Script.error(error)).enqueue(OK);
            var raw = h.client().messages().withRawResponse().create(MessageCreateParams.builder()
                    .model("claude-opus-5-5").maxTokens(1024).addUserMessage("Hi").build());
            assertEquals(ANSWER, text(raw.parse()));
            assertEquals(List.of(PRIMARY, FALLBACK), upstreamModels(h));
            assertEquals(List.of(FALLBACK), raw.headers().values("x-ncp-model"));
            assertEquals("claude-opus-5-5", raw.parse().model().asString(), "the client's model name is echoed");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nim-404-unknown-model", "nim-410-retired"})
    void aMissingOrRetiredModelWithoutFallbacksIsNotFound(String error) {
        try (var h = proxy()) {
            h.upstream().enqueue(Script.error(error));
            var e = assertThrows(NotFoundException.class, () -> ask(h));
            assertEquals("not_found_error", SdkAnswer.inputOf(e.body()).path("error").path("type").asText());
        }
    }

    @Test
    void aModelThatKeepsFailingFallsBackAfterItsRetriesAndTheStreamCarriesTheFallbacksAnswer() {
        try (var h = proxy("NCP_FALLBACK_MODELS", FALLBACK, "NCP_MAX_RETRIES", "1")) {
            h.upstream().enqueue(Script.error("gateway-502-html")).enqueue(Script.error("nim-503-overloaded"))
                    .enqueue(OK);
            Wire.Reply reply = Wire.post(h, "/v1/messages", SseWireTest.STREAMED_HI);
            SseEvents sse = SseEvents.parse(reply.body());
            sse.assertGrammar();
            assertEquals("end_turn", sse.first("message_delta").data().path("delta").path("stop_reason").asText());
            assertEquals(List.of(PRIMARY, PRIMARY, FALLBACK), upstreamModels(h));
            assertEquals(PRIMARY, reply.header("x-ncp-model"), "a stream's headers go out before the upstream answers");
        }
    }

    @Test
    void theModelsOwnChainFromTheRegistryWinsOverNcpFallbackModels() {
        try (var h = proxy("NCP_FALLBACK_MODELS", FALLBACK)) {
            // meta/llama-4-maverick's registry entry falls back to meta/llama-4-scout
            h.upstream().enqueue(Script.error("nim-410-retired")).enqueue(OK);
            Message m = h.client().messages().create(MessageCreateParams.builder().model("claude-llama4-maverick")
                    .maxTokens(1024).addUserMessage("Hi").build());
            assertEquals(ANSWER, text(m));
            assertEquals(List.of("meta/llama-4-maverick-17b-128e-instruct", "meta/llama-4-scout-17b-16e-instruct"),
                    upstreamModels(h));
        }
    }

    @Test
    void whenEveryCandidateFailsTheClientGetsTheRateLimitWithTheShortestRetryAfterNotTheLastError() {
        try (var h = proxy("NCP_FALLBACK_MODELS", FALLBACK + ",deepseek-ai/deepseek-v4-flash",
                "NCP_MAX_RETRIES", "0")) {
            h.upstream().enqueue(Script.status(429, Map.of("retry-after", "30"), "{\"status\":429}"))
                    .enqueue(Script.status(429, Map.of("retry-after", "20"), "{\"status\":429}"))
                    .enqueue(Script.error("nim-503-overloaded"));
            var e = assertThrows(RateLimitException.class, () -> ask(h));
            assertEquals(List.of("20"), e.headers().values("retry-after"));
            String message = SdkAnswer.inputOf(e.body()).path("error").path("message").asText();
            assertTrue(message.contains("ncp also tried"), message);
            assertEquals(3, h.upstream().requests().size());
        }
    }

    @Test
    void notFoundIsTheAnswerOnlyWhenEveryCandidateWasNotFound() {
        try (var h = proxy("NCP_FALLBACK_MODELS", FALLBACK, "NCP_MAX_RETRIES", "0")) {
            h.upstream().enqueue(Script.error("nim-404-unknown-model")).enqueue(Script.error("nim-410-retired"));
            assertThrows(NotFoundException.class, () -> ask(h));

            h.upstream().enqueue(Script.error("nim-404-unknown-model")).enqueue(Script.error("gateway-502-html"));
            var e = assertThrows(AnthropicServiceException.class, () -> ask(h));
            assertInstanceOf(InternalServerException.class, e);
            assertEquals(502, e.statusCode());
        }
    }

    /** The fixture's chunks up to (not including) the second text delta: content reached the client. */
    static byte[] firstChunks() {
        String fixture = new String(Fixtures.upstream("text-stop-usage-last.sse"), StandardCharsets.UTF_8);
        return fixture.substring(0, fixture.indexOf("data: ", fixture.indexOf("I can h")))
                .getBytes(StandardCharsets.UTF_8);
    }
}
