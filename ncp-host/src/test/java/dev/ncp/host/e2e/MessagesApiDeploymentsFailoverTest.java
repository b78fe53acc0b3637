package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.testing.Fixtures;
import dev.ncp.host.testing.OtlpReceiver;
import dev.ncp.host.testing.OtlpReceiver.ReceivedSpan;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream;
import dev.ncp.host.testing.ScriptedUpstream.RecordedRequest;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model on two Messages API upstreams ({@code protocol: anthropic}), one of them answering 503 to everything: the
 * pass-through fails over to the healthy one before the client saw a byte, the failing one's breaker opens and then
 * gets nothing more, and every attempt is a span whose traceparent reaches the upstream.
 */
@Timeout(120)
class MessagesApiDeploymentsFailoverTest {

    private static final String MODEL = "acme/messages";
    private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_TRACEPARENT = "00-" + CLIENT_TRACE + "-00f067aa0ba902b7-01";
    private static final String KEY_A = "nim-a-messages-key-0123456789";
    private static final String KEY_B = "nim-b-messages-key-9876543210";

    @TempDir
    Path dir;

    private final ScriptedUpstream failing = ScriptedUpstream.start().fallback(Script.error("nim-503-overloaded"));
    private final ScriptedUpstream healthy = ScriptedUpstream.start()
            .fallback(Script.stream(Fixtures.resource("/golden/text-then-tool-call.sse")));
    private final List<AutoCloseable> open = new ArrayList<>(List.of(failing, healthy));

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** The collector, closed after the proxy (which sends it its last spans when it stops). */
    private OtlpReceiver receiver() {
        OtlpReceiver receiver = OtlpReceiver.start();
        open.add(receiver);
        return receiver;
    }

    private ProxyHarness proxy(OtlpReceiver receiver) throws Exception {
        Path models = Files.writeString(dir.resolve("models.yaml"), """
                upstreams:
                  nim-a: {base_url: "%s", protocol: anthropic, api_key_env: NIM_A_KEY}
                  nim-b: {base_url: "%s", protocol: anthropic, api_key_env: NIM_B_KEY}
                models:
                  - id: %s
                    aliases: [claude-messages]
                    upstreams: [nim-a, nim-b]
                """.formatted(failing.baseUrl(), healthy.baseUrl(), MODEL));
        var env = new HashMap<>(Map.of("NCP_MODELS_FILE", models.toString(), "NIM_A_KEY", KEY_A,
                "NIM_B_KEY", KEY_B, "NCP_BREAKER_FAILURES", "2",
                "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(), "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "OTEL_SERVICE_NAME", "ncp-under-test", "OTEL_BSP_SCHEDULE_DELAY", "50"));
        ProxyHarness h = ProxyHarness.start(env);
        open.add(0, h);
        return h;
    }

    private static Message ask(ProxyHarness h) {
        var acc = MessageAccumulator.create();
        try (var stream = h.client().messages().createStreaming(MessageCreateParams.builder().model("claude-messages")
                .maxTokens(300).addUserMessage("Is it there?").putAdditionalHeader("traceparent", CLIENT_TRACEPARENT)
                .build())) {
            stream.stream().forEach(acc::accumulate);
        }
        return acc.message();
    }

    @Test
    void theClientGetsEveryAnswerAndTheFailingDeploymentsBreakerOpens() throws Exception {
        OtlpReceiver receiver = receiver();
        ProxyHarness h = proxy(receiver);
        int asked = 0;
        while (failing.requests().size() < 2 && asked < 12) {
            assertEquals("Let me check.", ask(h).content().get(0).asText().text(), "request " + asked);
            asked++;
        }
        assertEquals(2, failing.requests().size(), "the balancer sent nim-a its share: " + asked + " requests");
        assertEquals(asked, healthy.requests().size(), "nim-b answered every request, the failed-over too");

        JsonNode breakers = new ObjectMapper().readTree(Wire.send(h, "GET", "/health", Map.of(), null).text())
                .path("breakers");
        assertEquals("open", breakers.path("nim-a|" + MODEL).path("state").asText(), breakers.toString());
        assertEquals("closed", breakers.path("nim-b|" + MODEL).path("state").asText(), breakers.toString());

        for (int i = 0; i < 5; i++) {
            assertEquals("Let me check.", ask(h).content().get(0).asText().text());
        }
        assertEquals(2, failing.requests().size(), "an open breaker sends nim-a nothing");
        assertEquals(asked + 5, healthy.requests().size());

        // Each key only to its own upstream, the model by its id, and the client's trace continued into both.
        for (RecordedRequest r : failing.requests()) {
            assertEquals("Bearer " + KEY_A, r.header("authorization"));
            assertEquals(CLIENT_TRACE, r.header("traceparent").split("-")[1], r.header("traceparent"));
        }
        for (RecordedRequest r : healthy.requests()) {
            assertEquals("Bearer " + KEY_B, r.header("authorization"));
            assertEquals(MODEL, r.json().path("model").asText());
            String traceparent = r.header("traceparent");
            assertNotNull(traceparent);
            assertEquals(CLIENT_TRACE, traceparent.split("-")[1], traceparent);
        }

        // The request that failed over is one server span with two attempt spans, the first failed.
        String failedOverSpan = failing.requests().get(0).header("traceparent").split("-")[2];
        List<ReceivedSpan> attempts = receiver.await(s -> s.span().getKind() == SpanKind.SPAN_KIND_CLIENT,
                asked + 5 + 2, Duration.ofSeconds(20));
        ReceivedSpan failedAttempt = attempts.stream().filter(s -> s.spanId().equals(failedOverSpan))
                .findFirst().orElseThrow(() -> new AssertionError(attempts.toString()));
        assertTrue(failedAttempt.attribute("error.type") != null, failedAttempt.toString());
        assertEquals("anthropic", failedAttempt.attribute("gen_ai.provider.name"));
        assertEquals(MODEL, failedAttempt.attribute("gen_ai.request.model"));
        String parent = failedAttempt.parentSpanId();
        List<ReceivedSpan> siblings = attempts.stream().filter(s -> s.parentSpanId().equals(parent)).toList();
        assertEquals(2, siblings.size(), "the failed attempt and the one that answered: " + siblings);

        String metrics = Wire.send(h, "GET", "/metrics", Map.of(), null).text();
        assertTrue(metrics.contains("upstream=\"nim-b\""), "counted under the upstream that answered");
    }

    @Test
    void whenEveryDeploymentFailsTheClientGetsTheUpstreamsErrorAnthropicShaped() throws Exception {
        healthy.fallback(Script.error("nim-503-overloaded"));
        ProxyHarness h = proxy(receiver());
        var reply = Wire.send(h, "POST", "/v1/messages", Map.of("content-type", "application/json",
                "anthropic-version", "2023-06-01"), ("{\"model\":\"claude-messages\",\"max_tokens\":64,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}").getBytes());
        // NIM's 503 is Anthropic's overloaded answer, as on the translated path.
        assertEquals(529, reply.status(), reply.text());
        JsonNode error = new ObjectMapper().readTree(reply.text());
        assertEquals("error", error.path("type").asText(), reply.text());
        assertEquals("overloaded_error", error.path("error").path("type").asText(), reply.text());
        assertTrue(reply.headers().firstValue("request-id").orElse("").startsWith("req_"), reply.text());
        assertEquals(1, failing.requests().size());
        assertEquals(1, healthy.requests().size(), "each deployment tried once, then the client decides");
    }
}
