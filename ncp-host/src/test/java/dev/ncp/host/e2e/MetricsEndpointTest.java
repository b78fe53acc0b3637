package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.host.testing.PrometheusText;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} is Prometheus text whose counters match the requests that went through ncp. */
class MetricsEndpointTest {

    private static final String MODEL = "qwen/qwen3-coder-480b-a35b-instruct";
    private static final String FALLBACK = "meta/llama-3.3-70b-instruct";

    @Test
    void metricsCountEveryRequestByModelRouteAndStatusWithItsTokensAndLatency() {
        // Retries off: each scripted upstream error is one request's answer.
        try (var h = ProxyHarness.start(Map.of("NCP_MAX_RETRIES", "0"))) {
            h.upstream().enqueue(Script.fixture("text-then-tool-call.sse"))
                    .enqueue(Script.fixture("text-then-tool-call.sse"))
                    .enqueue(Script.fixture("text-stop-usage-last.sse"))
                    .enqueue(Script.error("nim-429-problem-details"))
                    .enqueue(Script.error("nim-503-overloaded"));
            assertEquals(200, Wire.post(h, "/v1/messages", body("claude-opus-4-7", true)).status());
            assertEquals(200, Wire.post(h, "/v1/messages", body(MODEL, true)).status());
            assertEquals(200, Wire.post(h, "/v1/messages", body(MODEL, false)).status());
            assertEquals(429, Wire.post(h, "/v1/messages", body(MODEL, false)).status());
            Wire.Reply failedStream = Wire.post(h, "/v1/messages", body(MODEL, true));
            assertEquals(200, failedStream.status(), "a stream has begun before the upstream fails");
            assertTrue(failedStream.text().contains("event: error"), failedStream.text());
            assertEquals(400, Wire.post(h, "/v1/messages", "{\"model\":").status());

            Wire.Reply reply = Wire.send(h, "GET", "/metrics", Map.of(), null);
            assertEquals(200, reply.status());
            assertTrue(reply.header("content-type").startsWith("text/plain"), reply.header("content-type"));
            PrometheusText metrics = PrometheusText.parse(reply.text());

            assertEquals(6, metrics.sum("ncp_requests_total"), reply.text());
            assertEquals(1, metrics.sum("ncp_requests_total", "model", MODEL, "route", "alias", "status", "200"));
            assertEquals(2, metrics.sum("ncp_requests_total", "model", MODEL, "route", "direct", "status", "200",
                    "outcome", "ok"));
            assertEquals(1, metrics.sum("ncp_requests_total", "model", MODEL, "status", "429", "outcome", "error"));
            assertEquals(1, metrics.sum("ncp_requests_total", "model", MODEL, "status", "529", "outcome", "error"),
                    "a stream that ended in an error event counts with that error's status");
            assertEquals(1, metrics.sum("ncp_requests_total", "model", "none", "route", "none", "status", "400"));

            assertEquals(5210 + 5210 + 210, metrics.sum("ncp_tokens_total", "model", MODEL, "direction", "input"));
            assertEquals(48 + 48 + 31, metrics.sum("ncp_tokens_total", "model", MODEL, "direction", "output"));
            assertEquals(1, metrics.sum("ncp_upstream_errors_total", "kind", "rate_limit_error"));
            assertEquals(1, metrics.sum("ncp_upstream_errors_total", "kind", "overloaded_error"));
            assertEquals(6, metrics.sum("ncp_request_duration_seconds_count"));
            assertEquals(3, metrics.sum("ncp_time_to_first_token_seconds_count", "model", MODEL));
            assertEquals(3, metrics.sum("ncp_time_to_first_token_seconds_bucket", "model", MODEL, "le", "+Inf"));
            assertEquals("histogram", metrics.types().get("ncp_request_duration_seconds"));
            assertEquals(0, metrics.sum("ncp_active_streams"));
            assertEquals(0, metrics.sum("ncp_rate_limit_rejections_total", "scope", "global"));
            assertTrue(metrics.sum("ncp_visualization_events_published_total") >= 6 * 2);
        }
    }

    @Test
    void retriesFallbacksAndBreakerChangesAreCounted() {
        try (var h = ProxyHarness.start(Map.of("NCP_MAX_RETRIES", "1", "NCP_RETRY_BACKOFF_MS", "0",
                "NCP_FALLBACK_MODELS", FALLBACK, "NCP_BREAKER_FAILURES", "2"))) {
            h.upstream().enqueue(Script.error("nim-503-overloaded"))          // retried...
                    .enqueue(Script.fixture("text-stop-usage-last.sse"))       // ...and answered
                    .enqueue(Script.error("nim-503-overloaded"))              // fails twice: breaker opens,
                    .enqueue(Script.error("nim-503-overloaded"))
                    .enqueue(Script.fixture("text-stop-usage-last.sse"))       // and the fallback answers
                    .enqueue(Script.fixture("text-stop-usage-last.sse"));      // the breaker is open: fallback at once
            assertEquals(200, Wire.post(h, "/v1/messages", body(MODEL, false)).status());
            Wire.Reply fellBack = Wire.post(h, "/v1/messages", body(MODEL, false));
            assertEquals(200, fellBack.status(), fellBack.text());
            assertEquals(FALLBACK, fellBack.header("x-ncp-model"));
            Wire.Reply streamed = Wire.post(h, "/v1/messages", body(MODEL, true));
            assertEquals(MODEL, streamed.header("x-ncp-model"), "a stream's header went out before the upstream");
            assertTrue(streamed.text().contains("event: message_stop"), streamed.text());

            PrometheusText metrics = PrometheusText.parse(Wire.send(h, "GET", "/metrics", Map.of(), null).text());
            assertEquals(1, metrics.sum("ncp_requests_total", "model", MODEL, "status", "200"), "only the first");
            assertEquals(2, metrics.sum("ncp_requests_total", "model", FALLBACK, "route", "fallback",
                    "status", "200", "outcome", "ok"), "whole and streamed answers of the fallback model");
            assertEquals(2 * 31, metrics.sum("ncp_tokens_total", "model", FALLBACK, "direction", "output"));
            assertEquals(2, metrics.sum("ncp_upstream_retries_total", "model", MODEL));
            assertEquals(2, metrics.sum("ncp_upstream_fallbacks_total", "from", MODEL, "to", FALLBACK));
            assertEquals(2, metrics.sum("ncp_breaker_state", "breaker", MODEL), "2 = open");
            assertEquals(1, metrics.sum("ncp_breaker_transitions_total", "breaker", MODEL, "to", "open"));
        }
    }

    @Test
    void storageOperationsAreTimedByEngineAndOperation() {
        try (var h = ProxyHarness.start()) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            Map<String, String> key = Map.of("content-type", "application/json", "Idempotency-Key", "metrics-1");
            byte[] request = body(MODEL, false).getBytes(StandardCharsets.UTF_8);
            assertEquals(200, Wire.send(h, "POST", "/v1/messages", key, request).status());
            assertEquals(200, Wire.send(h, "POST", "/v1/messages", key, request).status(), "replayed");

            PrometheusText metrics = PrometheusText.parse(Wire.send(h, "GET", "/metrics", Map.of(), null).text());
            assertTrue(metrics.sum("ncp_storage_operation_seconds_count", "engine", "memory",
                    "operation", "put_if_absent") >= 1, "the idempotency claim");
            assertTrue(metrics.sum("ncp_storage_operation_seconds_count", "engine", "memory", "operation", "get")
                    >= 1, "the replay's lookup");
            assertTrue(metrics.sum("ncp_storage_operation_seconds_count", "engine", "memory", "operation", "put")
                    >= 1, "the recorded answer");
            assertEquals(metrics.sum("ncp_storage_operation_seconds_count"),
                    metrics.sum("ncp_storage_operation_seconds_bucket", "le", "+Inf"));
            assertEquals(1, h.upstream().requests().size());
        }
    }

    @Test
    void metricsNeedTheProxyKeyLikeEveryOtherEndpoint() {
        try (var h = ProxyHarness.start(Map.of("PROXY_API_KEY", "sk-ncp-metrics-test"))) {
            Wire.assertAnthropicError(Wire.send(h, "GET", "/metrics", Map.of(), null), 401, "authentication_error");
            Wire.Reply ok = Wire.send(h, "GET", "/metrics", Map.of("x-api-key", "sk-ncp-metrics-test"), null);
            assertEquals(200, ok.status());
            PrometheusText.parse(ok.text());
        }
    }

    private static String body(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":256,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    }
}
