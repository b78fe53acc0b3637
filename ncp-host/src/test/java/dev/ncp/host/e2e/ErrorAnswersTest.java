package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.InternalServerException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.OverloadedException;
import com.anthropic.errors.PermissionDeniedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.testing.Fixtures;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Everything that goes wrong reaches the client as Anthropic's error JSON with a request id and a message that
 * says what happened — as the SDK's typed exception when not streaming, as one final {@code error} event when
 * streaming — while what Anthropic accepts is accepted. The upstream key never appears in an answer.
 */
@Timeout(20)
class ErrorAnswersTest {

    private ProxyHarness h;

    /** One upstream answer each, mapped: retries and fallbacks are ResilienceTest's. */
    @BeforeEach
    void start() {
        h = ProxyHarness.start(Map.of("NCP_MAX_RETRIES", "0"));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void malformedJsonIsA400NamingLineAndColumn() {
        Wire.Reply reply = Wire.post(h, "/v1/messages", "{\"model\": \"claude-opus-5-5\",\n \"messages\": [}");
        String message = Wire.assertAnthropicError(reply, 400, "invalid_request_error");
        assertTrue(message.contains("line 2, column 15"), message);
        assertEquals(0, h.upstream().requests().size());
    }

    @Test
    void aBlockWithoutTypeIsA400NamingItsPath() {
        Wire.Reply reply = Wire.post(h, "/v1/messages", """
                {"model":"claude-opus-5-5","max_tokens":100,
                 "messages":[{"role":"user","content":[{"text":"hi"}]}]}""");
        String message = Wire.assertAnthropicError(reply, 400, "invalid_request_error");
        assertTrue(message.startsWith("messages.0.content.0.type"), message);
        assertEquals(0, h.upstream().requests().size());
    }

    @Test
    void topLevelFieldsAnthropicAcceptsAreAccepted() {
        h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
        Wire.Reply reply = Wire.post(h, "/v1/messages", """
                {"model":"claude-opus-5-5","max_tokens":100,
                 "messages":[{"role":"user","content":"hi"}],
                 "context_management":{"edits":[{"type":"clear_thinking_20251015","keep":"all"}]},
                 "service_tier":"auto",
                 "output_config":{"effort":"medium"},
                 "thinking":{"type":"adaptive"}}""");
        assertEquals(200, reply.status(), reply.text());
        assertEquals("end_turn", reply.json().path("stop_reason").asText());
        JsonNode sent = h.upstream().requests().get(0).json();
        for (String field : List.of("context_management", "service_tier", "output_config", "thinking")) {
            assertFalse(sent.has(field), field + " went upstream: " + sent);
        }
    }

    @Test
    void unknownBetaHeadersAreAccepted() {
        h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
        Wire.Reply reply = Wire.send(h, "POST", "/v1/messages", Map.of("content-type", "application/json",
                        "anthropic-version", "2023-06-01",
                        "anthropic-beta", "made-up-feature-2099-01-01,context-1m-2025-08-07"),
                "{\"model\":\"claude-opus-5-5\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(200, reply.status(), reply.text());
        assertEquals("message", reply.json().path("type").asText());
    }

    /** An upstream failure, what the client must see, and a word its message must contain. */
    record Failure(String name, Script script, Class<? extends AnthropicServiceException> exception, int status,
                   String type, String says) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Failure> upstreamFailures() {
        return Stream.of(
                failure("nim-429-problem-details", RateLimitException.class, 429, "rate_limit_error", "retry after 7"),
                failure("openai-style-401", UnauthorizedException.class, 401, "authentication_error",
                        "NVIDIA_API_KEY"),
                failure("nim-404-unknown-model", NotFoundException.class, 404, "not_found_error",
                        "qwen/qwen3-coder-480b-a35b-instruct"),
                failure("vllm-400-context-length", BadRequestException.class, 400, "invalid_request_error",
                        "prompt is too long: 140000 tokens > 131072 maximum"),
                failure("vllm-400-input-too-long", BadRequestException.class, 400, "invalid_request_error",
                        "prompt is too long: 200512 tokens > 131072 maximum"),
                failure("nim-503-overloaded", OverloadedException.class, 529, "overloaded_error",
                        "Worker is overloaded"),
                failure("gateway-502-html", InternalServerException.class, 502, "api_error", "502 Bad Gateway"),
                failure("nim-410-retired", NotFoundException.class, 404, "not_found_error", "end of life"),
                new Failure("nim-403-forbidden", Script.status(403, Map.of("content-type", "application/json"),
                        "{\"status\":403,\"title\":\"Forbidden\",\"detail\":\"Authorization failed\"}"),
                        PermissionDeniedException.class, 403, "permission_error", "Authorization failed"));
    }

    private static Failure failure(String name, Class<? extends AnthropicServiceException> exception, int status,
                                   String type, String says) {
        return new Failure(name, Script.error(name), exception, status, type, says);
    }

    @Test
    void everyEntryOfErrorsJsonIsCovered() {
        var covered = upstreamFailures().map(Failure::name).filter(n -> !n.equals("nim-403-forbidden")).sorted();
        assertEquals(Fixtures.upstreamErrorNames().stream().sorted().toList(), covered.toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamFailures")
    void anUpstreamErrorIsTheSdksTypedExceptionWhenNotStreaming(Failure f) {
        h.upstream().enqueue(f.script());
        var e = assertThrows(AnthropicServiceException.class, () -> h.client().messages().create(
                MessageCreateParams.builder().model("claude-opus-5-5").maxTokens(1024).addUserMessage("Hi").build()));
        assertInstanceOf(f.exception(), e);
        assertEquals(f.status(), e.statusCode());
        JsonNode body = SdkAnswer.inputOf(e.body());
        assertEquals("error", body.path("type").asText(), body.toString());
        assertEquals(f.type(), body.path("error").path("type").asText(), body.toString());
        assertTrue(body.path("error").path("message").asText().contains(f.says()), body.toString());
        assertEquals(1, e.headers().values("request-id").size(), "request-id header");
        assertFalse(body.toString().contains(ProxyHarness.UPSTREAM_KEY));
        if (f.exception() == RateLimitException.class) {
            assertEquals(List.of("7"), e.headers().values("retry-after"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamFailures")
    void anUpstreamErrorEndsTheStreamWithOneErrorEventOfTheMappedType(Failure f) {
        h.upstream().enqueue(f.script());
        Wire.Reply reply = Wire.post(h, "/v1/messages", SseWireTest.STREAMED_HI);

        assertEquals(200, reply.status(), "message_start went out before the upstream answered");
        Wire.assertRequestId(reply);
        assertFalse(reply.text().contains(ProxyHarness.UPSTREAM_KEY));
        SseEvents sse = SseEvents.parse(reply.body()); // whole frames only
        List<SseEvents.Event> events = sse.content();
        assertEquals(List.of("message_start", "error"), events.stream().map(SseEvents.Event::event).toList());
        JsonNode error = events.get(1).data();
        assertEquals(f.type(), error.path("error").path("type").asText(), error.toString());
        assertTrue(error.path("error").path("message").asText().contains(f.says()), error.toString());
    }

    @Test
    void anUpstreamErrorThatEchoesTheKeyDoesNotLeakIt() {
        String echo = "{\"error\":{\"message\":\"Invalid credentials: Bearer " + ProxyHarness.UPSTREAM_KEY
                + "\",\"type\":\"invalid_request_error\"}}";
        h.upstream().enqueue(Script.status(401, Map.of("content-type", "application/json"), echo))
                .enqueue(Script.status(400, Map.of("content-type", "application/json"), echo));
        Wire.Reply whole = Wire.post(h, "/v1/messages",
                "{\"model\":\"claude-opus-5-5\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        Wire.assertAnthropicError(whole, 401, "authentication_error");
        Wire.Reply streamed = Wire.post(h, "/v1/messages", SseWireTest.STREAMED_HI);
        assertFalse(streamed.text().contains(ProxyHarness.UPSTREAM_KEY), streamed.text());
        assertEquals("error", SseEvents.parse(streamed.body()).content().get(1).event());
    }

    @ParameterizedTest(name = "streamed={0}")
    @ValueSource(booleans = {false, true})
    void aMissingNvidiaKeyIsA401SayingSoAndNothingIsSent(boolean streamed) {
        try (var keyless = ProxyHarness.start(Map.of("NVIDIA_API_KEY", "",
                "NVIDIA_BASE_URL", "https://integrate.api.nvidia.com/v1"))) {
            Wire.Reply reply = Wire.post(keyless, "/v1/messages", "{\"model\":\"claude-opus-5-5\",\"max_tokens\":100,"
                    + "\"stream\":" + streamed + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            String message = Wire.assertAnthropicError(reply, 401, "authentication_error");
            assertTrue(message.contains("NVIDIA_API_KEY"), message);
            assertEquals(0, keyless.upstream().requests().size());
        }
    }
}
