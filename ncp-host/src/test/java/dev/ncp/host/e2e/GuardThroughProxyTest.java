package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.testing.HttpCalls;
import dev.ncp.host.testing.PrometheusText;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.VisualizationClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The guard seen from outside: its interventions on the dashboard's bus and in the metrics, the loop note in the
 * upstream request (and nowhere else), and each rule switched off by its setting.
 */
class GuardThroughProxyTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TOOLS = "\"tools\": [{\"name\": \"Bash\", \"input_schema\": {\"type\": \"object\","
            + " \"properties\": {\"command\": {\"type\": \"string\"}}}}, {\"name\": \"Read\", \"input_schema\":"
            + " {\"type\": \"object\", \"properties\": {\"file_path\": {\"type\": \"string\"}}}}]";
    private static final String ROUND = "{\"role\": \"assistant\", \"content\": [{\"type\": \"tool_use\", \"id\":"
            + " \"toolu_0%1$d\", \"name\": \"Bash\", \"input\": {\"command\": \"make test\"}}]}, {\"role\": \"user\","
            + " \"content\": [{\"type\": \"tool_result\", \"tool_use_id\": \"toolu_0%1$d\", \"content\":"
            + " \"make: *** No rule to make target 'test'.\", \"is_error\": true}]}";

    @Test
    void interventionsReachTheDashboardBusAndTheMetrics() throws Exception {
        try (var h = ProxyHarness.start(); var socket = VisualizationClient.connect(h.baseUrl())) {
            h.upstream().enqueue(Script.fixture("guard-name-case.sse"));
            Wire.Reply reply = Wire.post(h, "/v1/messages", request(true, ""));
            assertEquals(200, reply.status(), reply.text());

            List<JsonNode> events = socket.requestUntilFinish(reply.header("request-id"), WAIT);
            JsonNode guard = events.stream().filter(e -> e.path("type").asText().equals("guard")).findFirst()
                    .orElseThrow(() -> new AssertionError("no guard event in " + events));
            assertEquals("name_fixed", guard.path("kind").asText());
            assertEquals("Bash", guard.path("tool").asText());
            assertEquals("tools", guard.path("lane").asText());
            assertEquals("called as bash", guard.path("detail").asText());
            JsonNode toolCall = events.stream().filter(e -> e.path("type").asText().equals("tool_call")).findFirst()
                    .orElseThrow();
            assertEquals("Bash", toolCall.path("name").asText(), "the client sees the declared name");

            PrometheusText metrics = metrics(h);
            assertEquals(1, metrics.sum("ncp_guard_interventions_total", "kind", "name_fixed"));
            for (String kind : List.of("args_repaired", "args_coerced", "args_unrepairable", "text_call",
                    "loop_note")) {
                assertEquals(1, metrics.matching("ncp_guard_interventions_total", "kind", kind).size(),
                        kind + " is exported before it happens");
                assertEquals(0, metrics.sum("ncp_guard_interventions_total", "kind", kind), kind);
            }
        }
    }

    @Test
    void theLoopNoteGoesUpstreamAfterTheRepeatedResultAndTheClientsHistoryIsUntouched() {
        try (var h = ProxyHarness.start()) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            String body = request(false, rounds(3));
            Wire.Reply reply = Wire.post(h, "/v1/messages", body);
            assertEquals(200, reply.status(), reply.text());

            JsonNode messages = h.upstream().requests().get(0).json().path("messages");
            JsonNode last = messages.get(messages.size() - 1);
            assertEquals("tool", last.path("role").asText());
            String content = last.path("content").asText();
            int note = content.indexOf("\n\n[Note from the proxy: your last 3 turns called the tool Bash with the"
                    + " same input, and it returned the same result each time.");
            assertTrue(note > 0 && content.substring(0, note).contains("make: *** No rule to make target 'test'."),
                    "the note follows the repeated result: " + content);
            assertTrue(content.endsWith("tell the user what is in the way.]"), content);
            assertEquals(1, metrics(h).sum("ncp_guard_interventions_total", "kind", "loop_note"));
            for (int i = 0; i < messages.size() - 1; i++) {
                assertFalse(messages.get(i).toString().contains("Note from the proxy"), "only the last message");
            }
        }
    }

    @Test
    void twoRepeatsGetNoNote() {
        try (var h = ProxyHarness.start()) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            assertEquals(200, Wire.post(h, "/v1/messages", request(false, rounds(2))).status());
            assertFalse(h.upstream().requests().get(0).bodyText().contains("Note from the proxy"));
            assertEquals(0, metrics(h).sum("ncp_guard_interventions_total", "kind", "loop_note"));
        }
    }

    @Test
    void eachRuleIsSwitchedOffByItsSetting() {
        try (var h = ProxyHarness.start(Map.of("NCP_GUARD_ARGS_REPAIR", "false", "NCP_GUARD_TOOL_NAMES", "off",
                "NCP_GUARD_TEXT_CALLS", "0", "NCP_GUARD_LOOP_NOTE", "no"))) {
            h.upstream().enqueue(Script.fixture("guard-name-case.sse"))
                    .enqueue(Script.fixture("guard-hermes-json-in-text.sse"))
                    .enqueue(Script.fixture("guard-args-trailing-comma.sse"))
                    .enqueue(Script.fixture("text-stop-usage-last.sse"));
            JsonNode named = Wire.post(h, "/v1/messages", request(false, "")).json();
            assertEquals("bash", named.path("content").get(1).path("name").asText());
            JsonNode hermes = Wire.post(h, "/v1/messages", request(false, "")).json();
            assertTrue(hermes.path("content").get(0).path("text").asText().contains("<tool_call>"), hermes.toString());
            assertEquals("end_turn", hermes.path("stop_reason").asText());
            JsonNode comma = Wire.post(h, "/v1/messages", request(false, "")).json();
            assertEquals(Wire.json("{}"), comma.path("content").get(0).path("input"), "the damage ncp repairs");
            Wire.post(h, "/v1/messages", request(false, rounds(3)));
            assertFalse(h.upstream().requests().get(3).bodyText().contains("Note from the proxy"));
            assertEquals(0, metrics(h).sum("ncp_guard_interventions_total"));
        }
    }

    private static String rounds(int n) {
        var out = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            out.append(", ").append(ROUND.formatted(i));
        }
        return out.toString();
    }

    private static String request(boolean stream, String moreMessages) {
        return "{\"model\": \"claude-opus-5-5\", \"max_tokens\": 1024, \"stream\": " + stream + ", " + TOOLS
                + ", \"messages\": [{\"role\": \"user\", \"content\": \"Run the tests\"}" + moreMessages + "]}";
    }

    private static PrometheusText metrics(ProxyHarness h) {
        return PrometheusText.parse(HttpCalls.text(HttpCalls.get(h.baseUrl(), "/metrics", Map.of())));
    }
}
