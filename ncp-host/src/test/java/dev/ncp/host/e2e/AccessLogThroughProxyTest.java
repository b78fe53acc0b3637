package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * One access log line per request through the {@code ncp.access} logger (the bundled slf4j-simple writes to
 * stderr, which this test captures), in both formats.
 */
class AccessLogThroughProxyTest {

    private static final String TOOL_CALL_STREAM = """
            {"model":"claude-opus-4-7","max_tokens":512,"stream":true,
             "tools":[{"name":"Bash","description":"Run a command","input_schema":{"type":"object"}}],
             "messages":[{"role":"user","content":"List /tmp"}]}""";

    @Test
    void aStreamedToolCallLeavesOnePlainLineWithModelsTimingsAndTokens() {
        try (var h = ProxyHarness.start(); var err = new CapturedStderr()) {
            h.upstream().enqueue(Script.fixture("text-then-tool-call.sse"));
            Wire.Reply reply = Wire.post(h, "/v1/messages", TOOL_CALL_STREAM);
            String id = reply.header("request-id");
            Wire.Reply health = Wire.send(h, "GET", "/health", Map.of(), null);

            String line = err.lineWith(id);
            assertTrue(Pattern.compile("INFO access - " + id + " principal=local \"POST /v1/messages\" "
                    + "model=claude-opus-4-7->" + Pattern.quote(reply.header("x-ncp-model"))
                    + " upstream=default route=alias "
                    + "status=200 outcome=ok stop=tool_use ttft_ms=\\d+ duration_ms=\\d+ tokens_in=5210 tokens_out=48$")
                    .matcher(line).find(), line);
            String healthLine = err.lineWith(health.header("request-id"));
            assertTrue(healthLine.endsWith("principal=local \"GET /health\" model=-->- upstream=- route=- status=200 outcome=ok "
                    + "stop=- ttft_ms=- duration_ms=" + healthLine.replaceAll(".*duration_ms=(\\d+).*", "$1")
                    + " tokens_in=0 tokens_out=0"), healthLine);
        }
    }

    @Test
    void aStreamAnsweredByAFallbackModelIsLoggedWithThatModel() {
        String fallback = "meta/llama-3.3-70b-instruct";
        try (var h = ProxyHarness.start(Map.of("NCP_MAX_RETRIES", "0", "NCP_FALLBACK_MODELS", fallback));
             var err = new CapturedStderr()) {
            h.upstream().enqueue(Script.error("nim-503-overloaded"))
                    .enqueue(Script.fixture("text-then-tool-call.sse"));
            Wire.Reply reply = Wire.post(h, "/v1/messages", TOOL_CALL_STREAM);
            assertEquals(200, reply.status());
            assertTrue(!reply.header("x-ncp-model").equals(fallback), "the stream's header names the first model");

            String line = err.lineWith(reply.header("request-id"));
            assertTrue(line.contains(" model=claude-opus-4-7->" + fallback + " upstream=default route=fallback status=200 outcome=ok "
                    + "stop=tool_use "), line);
        }
    }

    @Test
    void withJsonFormatEachLineCarriesOneJsonObject() throws Exception {
        try (var h = ProxyHarness.start(Map.of("NCP_LOG_FORMAT", "json", "PROXY_API_KEY", "sk-ncp-log-test"));
             var err = new CapturedStderr()) {
            Wire.Reply refused = Wire.post(h, "/v1/messages", TOOL_CALL_STREAM);
            assertEquals(401, refused.status());

            String line = err.lineWith(refused.header("request-id"));
            JsonNode json = Wire.json(line.substring(line.indexOf('{')));
            assertEquals(refused.header("request-id"), json.path("request_id").asText());
            assertEquals("anonymous", json.path("principal").asText());
            assertEquals("POST", json.path("method").asText());
            assertEquals("/v1/messages", json.path("path").asText());
            assertEquals(401, json.path("status").asInt());
            assertEquals("error", json.path("outcome").asText());
            assertTrue(json.path("model").isNull() && json.path("ttft_ms").isNull(), line);
            assertEquals(List.of("request_id", "principal", "method", "path", "model_requested", "model", "upstream",
                    "route", "status", "outcome", "stop_reason", "ttft_ms", "duration_ms", "input_tokens", "output_tokens"),
                    iterate(json));
            assertTrue(!line.contains("sk-ncp-log-test"), "no credential in the log: " + line);
        }
    }

    private static List<String> iterate(JsonNode json) {
        var names = new java.util.ArrayList<String>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Tees stderr into a buffer while open. */
    private static final class CapturedStderr implements AutoCloseable {
        private final PrintStream original = System.err;
        private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

        CapturedStderr() {
            System.setErr(new PrintStream(new java.io.OutputStream() {
                @Override
                public void write(int b) {
                    captured.write(b);
                    original.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    captured.write(b, off, len);
                    original.write(b, off, len);
                }
            }, true, StandardCharsets.UTF_8));
        }

        /** The one line that mentions {@code text}, waiting briefly: the after-handler runs once the answer is sent. */
        String lineWith(String text) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (true) {
                List<String> lines;
                synchronized (captured) {
                    lines = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(text)).toList();
                }
                if (!lines.isEmpty() || System.nanoTime() > deadline) {
                    assertEquals(1, lines.size(), "access log lines for " + text + ": " + lines);
                    return lines.get(0);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
            }
        }

        @Override
        public void close() {
            System.setErr(original);
        }
    }
}
