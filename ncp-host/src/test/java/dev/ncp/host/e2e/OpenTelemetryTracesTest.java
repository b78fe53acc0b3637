package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import dev.ncp.host.testing.OtlpReceiver.ReceivedSpan;
import dev.ncp.host.testing.OtlpReceiver;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.RecordedRequest;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ncp's OpenTelemetry traces as a collector receives them: OTLP/HTTP protobuf to a receiver on 127.0.0.1, one server
 * span per request with a client span per upstream attempt, the GenAI attributes, and the client's trace continued
 * into the upstream request.
 */
class OpenTelemetryTracesTest {

    private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_TRACEPARENT = "00-" + CLIENT_TRACE + "-00f067aa0ba902b7-01";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static ProxyHarness traced(OtlpReceiver receiver, Map<String, String> more) {
        var env = new java.util.HashMap<>(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf", "OTEL_SERVICE_NAME", "ncp-under-test",
                "OTEL_BSP_SCHEDULE_DELAY", "50"));
        env.putAll(more);
        return ProxyHarness.start(env);
    }

    private static MessageCreateParams.Builder hello() {
        return MessageCreateParams.builder().model("claude-opus-4-5").maxTokens(64).addUserMessage("Hi");
    }

    @Test
    void aRequestIsAServerSpanWithAnAttemptSpanCarryingTheGenAiAttributes() {
        try (var receiver = OtlpReceiver.start();
             var h = traced(receiver, Map.of("PROXY_API_KEY", ProxyHarness.CLIENT_KEY))) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            var streamed = MessageAccumulator.create();
            try (var events = h.client().messages().createStreaming(hello().build())) {
                events.stream().forEach(streamed::accumulate);
            }
            Message answer = streamed.message();

            List<ReceivedSpan> servers = receiver.await(s -> s.span().getKind() == SpanKind.SPAN_KIND_SERVER, 1, WAIT);
            assertEquals(1, servers.size(), receiver.spans().toString());
            ReceivedSpan server = servers.get(0);
            assertEquals("ncp-under-test", server.service());
            assertEquals("POST /v1/messages", server.span().getName());
            assertEquals("chat", server.attribute("gen_ai.operation.name"));
            assertEquals("claude-opus-4-5", server.attribute("gen_ai.request.model"));
            String upstreamModel = h.upstream().requests().get(0).json().path("model").asText();
            assertEquals(upstreamModel, server.attribute("gen_ai.response.model"));
            assertEquals(Long.toString(answer.usage().inputTokens()), server.attribute("gen_ai.usage.input_tokens"));
            assertEquals(Long.toString(answer.usage().outputTokens()), server.attribute("gen_ai.usage.output_tokens"));
            assertEquals("end_turn", server.attribute("gen_ai.response.finish_reasons"));
            assertTrue(server.attribute("ncp.request_id").startsWith("req_"), server.attribute("ncp.request_id"));
            assertEquals("proxy-key", server.attribute("ncp.principal"), "the principal's id, never the key");
            assertEquals("200", server.attribute("http.response.status_code"));
            assertTrue(server.span().getEventsList().stream().anyMatch(e -> e.getName().equals("gen_ai.first_token")),
                    "time to first token is an event");
            assertFalse(server.span().toString().contains(ProxyHarness.CLIENT_KEY), "no key in any span");
            assertFalse(server.span().toString().contains("\"Hi\""), "no prompt text in spans");

            List<ReceivedSpan> attempts = receiver.await(s -> s.span().getKind() == SpanKind.SPAN_KIND_CLIENT, 1, WAIT);
            assertEquals(1, attempts.size());
            ReceivedSpan attempt = attempts.get(0);
            assertEquals(server.traceId(), attempt.traceId());
            assertEquals(server.spanId(), attempt.parentSpanId());
            assertEquals("chat " + upstreamModel, attempt.span().getName());
            assertEquals(upstreamModel, attempt.attribute("gen_ai.request.model"));
            assertEquals(Long.toString(answer.usage().outputTokens()), attempt.attribute("gen_ai.usage.output_tokens"));

            RecordedRequest sent = h.upstream().requests().get(0);
            assertTrue(sent.header("traceparent").startsWith("00-" + server.traceId() + "-" + attempt.spanId() + "-"),
                    "the upstream is called inside the attempt's span: " + sent.header("traceparent"));
        }
    }

    @Test
    void theClientsTraceIsContinuedIntoTheUpstreamAndRetriesAreSpansOfTheirOwn() {
        try (var receiver = OtlpReceiver.start();
             var h = traced(receiver, Map.of("NCP_RETRY_BACKOFF_MS", "1"))) {
            h.upstream().enqueue(Script.error("nim-503-overloaded"));
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            h.client().messages().create(hello().putAdditionalHeader("traceparent", CLIENT_TRACEPARENT).build());

            List<RecordedRequest> sent = h.upstream().requests();
            assertEquals(2, sent.size());
            for (RecordedRequest r : sent) {
                String traceparent = r.header("traceparent");
                assertNotNull(traceparent);
                assertEquals(CLIENT_TRACE, traceparent.split("-")[1], "the same trace id: " + traceparent);
            }
            assertNotEquals(sent.get(0).header("traceparent"), sent.get(1).header("traceparent"),
                    "each attempt is a span of its own");

            List<ReceivedSpan> spans = receiver.await(s -> s.traceId().equals(CLIENT_TRACE), 3, WAIT);
            assertEquals(3, spans.size(), spans.toString());
            ReceivedSpan server = spans.stream().filter(s -> s.span().getKind() == SpanKind.SPAN_KIND_SERVER)
                    .findFirst().orElseThrow();
            assertEquals("00f067aa0ba902b7", server.parentSpanId(), "the client's span is the parent");
            List<ReceivedSpan> attempts = spans.stream().filter(s -> s.span().getKind() == SpanKind.SPAN_KIND_CLIENT)
                    .toList();
            assertEquals(2, attempts.size());
            assertTrue(attempts.stream().anyMatch(a -> "overloaded_error".equals(a.attribute("error.type"))),
                    attempts.toString());
            assertTrue(server.span().getEventsList().stream().anyMatch(e -> e.getName().equals("ncp.retry")));
        }
    }

    @Test
    void withoutAnEndpointNothingIsTracedAndTheClientsTraceparentStillReachesTheUpstream() {
        try (var h = ProxyHarness.start(Map.of())) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            h.client().messages().create(hello().putAdditionalHeader("traceparent", CLIENT_TRACEPARENT).build());
            h.client().messages().create(hello().build());
            assertEquals(CLIENT_TRACEPARENT, h.upstream().requests().get(0).header("traceparent"));
            assertNull(h.upstream().requests().get(1).header("traceparent"));
        }
    }
}
