package dev.ncp.host.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.api.error.ErrorType;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.response.UpstreamErrorMapper;
import dev.ncp.host.testing.AnswerHarness;
import dev.ncp.host.testing.Fixtures;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.ScriptedUpstream;
import dev.ncp.host.testing.TestRequests;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The upstream client against a real HTTP server playing NIM. */
class UpstreamClientTest {

    private static final String KEY = "nvapi-secret-test-key";
    private static final String MODEL = TestRequests.MODEL;

    private final ScriptedUpstream upstream = ScriptedUpstream.start();
    private UpstreamClient client = client(UpstreamSettings.of(upstream.baseUrl(), KEY));

    @AfterEach
    void tearDown() {
        client.close();
        upstream.close();
    }

    private static UpstreamClient client(UpstreamSettings settings) {
        return new UpstreamClient(settings, AnswerHarness.JSON, new UpstreamErrorMapper(AnswerHarness.JSON));
    }

    @Test
    void postsTheRequestWithKeyAndStreamingHeadersAndStreamsTheBody() throws Exception {
        byte[] fixture = Fixtures.upstream("text-then-tool-call.sse");
        upstream.enqueue(Script.fixture("text-then-tool-call.sse").chunked(97, Duration.ofMillis(1)));
        byte[] received;
        try (UpstreamResponse response = client.open(TestRequests.streaming()); InputStream body = response.body()) {
            received = body.readAllBytes();
        }
        assertEquals(new String(fixture), new String(received));
        ScriptedUpstream.RecordedRequest sent = upstream.requests().get(0);
        assertEquals("POST", sent.method());
        assertEquals("/v1/chat/completions", sent.path());
        assertEquals("Bearer " + KEY, sent.header("authorization"));
        assertEquals("text/event-stream", sent.header("accept"));
        assertEquals("application/json", sent.header("content-type"));
        assertEquals(MODEL, sent.json().get("model").asText());
        assertTrue(sent.json().get("stream").asBoolean());
        assertTrue(sent.json().get("stream_options").get("include_usage").asBoolean());
    }

    @Test
    void bytesAlreadyReceivedAreAvailableSoTheyCanShareAFlush() throws Exception {
        byte[] fixture = Fixtures.upstream("text-then-tool-call.sse");
        upstream.enqueue(Script.fixture("text-then-tool-call.sse").chunked(97, Duration.ofMillis(1)));
        try (UpstreamResponse response = client.open(TestRequests.streaming()); InputStream body = response.body()) {
            byte[] first = body.readNBytes(10);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (first.length + body.available() < fixture.length && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(fixture.length - first.length, body.available());
            assertEquals(fixture.length - first.length, body.readAllBytes().length);
            assertEquals(0, body.available());
        }
    }

    @Test
    void withoutAKeyNoAuthorizationHeaderIsSent() {
        client.close();
        client = client(UpstreamSettings.of(upstream.baseUrl(), null));
        upstream.enqueue(Script.fixture("finish-length.sse"));
        client.open(TestRequests.streaming()).close();
        assertEquals(null, upstream.requests().get(0).header("authorization"));
    }

    static Stream<Arguments> errorAnswers() {
        return Stream.of(
                Arguments.of("nim-429-problem-details", ErrorType.RATE_LIMIT, 429,
                        "The upstream is rate limiting requests (HTTP 429: Too Many Requests); retry after 7 s.",
                        Map.of("retry-after", "7")),
                Arguments.of("openai-style-401", ErrorType.AUTHENTICATION, 401,
                        "The upstream rejected ncp's API key (HTTP 401: Authentication failed). Check NVIDIA_API_KEY.",
                        Map.of()),
                Arguments.of("nim-404-unknown-model", ErrorType.NOT_FOUND, 404,
                        "Model '" + MODEL + "' was not found upstream (HTTP 404: Function id '...' version null: "
                                + "Not found for account).", Map.of()),
                Arguments.of("vllm-400-context-length", ErrorType.INVALID_REQUEST, 400,
                        "prompt is too long: 140000 tokens > 131072 maximum (upstream: This model's maximum context "
                                + "length is 131072 tokens. However, you requested 140000 tokens (123616 in the "
                                + "messages, 16384 in the completion). Please reduce the length of the messages or "
                                + "completion.)", Map.of()),
                Arguments.of("vllm-400-input-too-long", ErrorType.INVALID_REQUEST, 400,
                        "prompt is too long: 200512 tokens > 131072 maximum (upstream: The input (200512 tokens) is "
                                + "longer than the model's context length (131072 tokens).)", Map.of()),
                Arguments.of("nim-503-overloaded", ErrorType.OVERLOADED, 529,
                        "The upstream is overloaded (HTTP 503: Worker is overloaded, please retry).", Map.of()),
                Arguments.of("gateway-502-html", ErrorType.API, 502,
                        "The upstream failed (HTTP 502: 502 Bad Gateway).", Map.of()),
                Arguments.of("nim-410-retired", ErrorType.NOT_FOUND, 404,
                        "Model '" + MODEL + "' is no longer served upstream (HTTP 410: This model has reached its "
                                + "end of life.).", Map.of()));
    }

    @Test
    void everyEntryOfErrorsJsonIsCovered() {
        assertEquals(Fixtures.upstreamErrorNames().stream().sorted().toList(),
                errorAnswers().map(a -> (String) a.get()[0]).sorted().toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorAnswers")
    void upstreamErrorsBecomeAnthropicErrors(String name, ErrorType type, int status, String message,
                                             Map<String, String> headers) {
        upstream.enqueue(Script.error(name));
        ApiError error = assertThrows(ApiError.class, () -> client.open(TestRequests.streaming()));
        assertEquals(type, error.type());
        assertEquals(status, error.status());
        assertEquals(message, error.getMessage());
        assertEquals(headers, error.headers());
        assertFalse(error.getMessage().contains(KEY));
    }

    @Test
    void aRefusedConnectionSaysTheUpstreamCouldNotBeReached() {
        URI closed;
        try (ScriptedUpstream gone = ScriptedUpstream.start()) {
            closed = gone.baseUrl();
        }
        client.close();
        client = client(UpstreamSettings.of(closed, KEY));
        ApiError error = assertThrows(ApiError.class, () -> client.open(TestRequests.streaming()));
        assertEquals(ErrorType.API, error.type());
        assertTrue(error.getMessage().startsWith("could not reach the upstream at 127.0.0.1:" + closed.getPort() + ": "),
                error.getMessage());
    }

    @Test
    void anUpstreamSlowerThanTheFirstByteTimeoutIsATimeoutError() {
        client.close();
        client = client(new UpstreamSettings(upstream.baseUrl(), KEY, Duration.ofSeconds(5), Duration.ofMillis(200),
                true, 65536));
        upstream.enqueue(Script.fixture("finish-length.sse").delayHeaders(Duration.ofSeconds(3)));
        ApiError error = assertThrows(ApiError.class, () -> client.open(TestRequests.streaming()));
        assertEquals(ErrorType.TIMEOUT, error.type());
    }

    @Test
    void closingTheResponseMidStreamAbortsTheExchange() throws Exception {
        upstream.enqueue(Script.fixture("text-stop-usage-last.sse").thenTrickle(Duration.ofMillis(20)));
        UpstreamResponse response = client.open(TestRequests.streaming());
        byte[] start = response.body().readNBytes(100);
        assertNotEquals(0, start.length);
        response.close();
        assertTrue(upstream.awaitClientDisconnect(Duration.ofSeconds(10)), "the server never saw the client leave");
    }

    @Test
    void settingsNeverPrintTheKey() {
        assertFalse(UpstreamSettings.of(upstream.baseUrl(), KEY).toString().contains(KEY));
    }
}
