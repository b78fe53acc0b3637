package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * message_start's input_tokens is the exact estimate, counted beside the translation rather than before it: for
 * every recorded Claude Code request it is the figure count_tokens gives for the same request — on a proxy that
 * has seen none of the request's texts before (so the count was running while the request was planned).
 */
class InputTokensThroughProxyTest {

    /** What count_tokens accepts of a Messages request. */
    private static final List<String> COUNTED_FIELDS = List.of("model", "system", "messages", "tools",
            "tool_choice", "thinking");

    @Test
    void messageStartCarriesTheCountTokensFigureOfTheSameRequest() {
        List<ClaudeCodeRequestsTest.Recorded> streamed = ClaudeCodeRequestsTest.messageRequests()
                .filter(r -> r.body().path("stream").asBoolean()).toList();
        assertTrue(streamed.size() >= 5, "recorded streaming requests: " + streamed.size());
        for (ClaudeCodeRequestsTest.Recorded recorded : streamed) {
            int started;
            try (ProxyHarness fresh = ProxyHarness.start()) {
                fresh.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
                Wire.Reply reply = recorded.replay(fresh);
                assertEquals(200, reply.status(), recorded + ": " + reply.text());
                started = SseEvents.parse(reply.body()).first("message_start").data().path("message")
                        .path("usage").path("input_tokens").asInt();
            }
            try (ProxyHarness other = ProxyHarness.start()) {
                ObjectNode countBody = Wire.JSON.createObjectNode();
                for (String field : COUNTED_FIELDS) {
                    if (recorded.body().has(field)) {
                        countBody.set(field, recorded.body().get(field));
                    }
                }
                Wire.Reply count = Wire.send(other, "POST", "/v1/messages/count_tokens?beta=true",
                        recorded.headers(), countBody.toString().getBytes(StandardCharsets.UTF_8));
                assertEquals(200, count.status(), recorded + ": " + count.text());
                JsonNode answer = count.json();
                assertTrue(started > 0, recorded.toString());
                assertEquals(answer.path("input_tokens").asInt(), started, recorded.toString());
            }
        }
    }
}
