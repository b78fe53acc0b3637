package dev.ncp.host.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ncp.host.anthropic.Fixtures;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;

/**
 * The checker the end-to-end tests rely on: it passes for every recorded Claude Code request sent through the real
 * server, and fails when the upstream request lost a tool, a tool call, a tool result or a text.
 */
class UpstreamRequestCheckTest {

    /** The SDK's tool-error sample answers a call its history never made; ncp rejects it, as Anthropic does. */
    private static final String UNPAIRED_RESULT = "anthropic-js-sdk--006-POST-v1-messages.json";
    private static final String TOOL_ROUND_TRIP = "tool-round-trip--002-POST-v1-messages.json";
    /** Some recordings carry images: every request goes to a model that reads them, so nothing is refused. */
    private static final String VISION_MODEL = "meta/llama-4-maverick-17b-128e-instruct";

    private static ProxyHarness proxy;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        proxy = ProxyHarness.start();
        proxy.upstream().fallback(Script.fixture("text-stop-usage-last.sse"));
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        http.close();
        proxy.close();
    }

    static List<String> recordedMessagesRequests() {
        return Fixtures.messageRequests().stream()
                .filter(f -> !f.contains("count_tokens") && !f.equals(UNPAIRED_RESULT)).toList();
    }

    @ParameterizedTest
    @MethodSource("recordedMessagesRequests")
    void everyRecordedClientRequestReachesTheUpstreamWithNothingDropped(String fixture) throws Exception {
        JsonNode sent = Fixtures.bodyTree(fixture);
        UpstreamRequestCheck.assertCarries(sent, throughTheProxy(sent));
    }

    @Test
    void aDroppedToolIsCaught() throws Exception {
        JsonNode sent = Fixtures.bodyTree(TOOL_ROUND_TRIP);
        assertCaught(sent, upstream -> ((ArrayNode) upstream.get("tools")).remove(0), "tools");
    }

    @Test
    void changedToolArgumentsAreCaught() throws Exception {
        JsonNode sent = Fixtures.bodyTree(TOOL_ROUND_TRIP);
        assertCaught(sent, upstream -> ((ObjectNode) firstToolCall(upstream).get("function"))
                .put("arguments", "{\"command\":\"rm -rf /\"}"), "arguments");
    }

    @Test
    void aLostToolResultIsCaught() throws Exception {
        JsonNode sent = Fixtures.bodyTree(TOOL_ROUND_TRIP);
        assertCaught(sent, upstream -> {
            for (JsonNode m : upstream.get("messages")) {
                if (m.path("role").asText().equals("tool")) {
                    ((ObjectNode) m).put("content", "");
                }
            }
        }, "did not reach its tool message");
    }

    @Test
    void aDroppedUserTextIsCaught() throws Exception {
        JsonNode sent = Fixtures.bodyTree(TOOL_ROUND_TRIP);
        assertCaught(sent, upstream -> {
            for (JsonNode m : upstream.get("messages")) {
                if (m.path("role").asText().equals("user")) {
                    ((ObjectNode) m).put("content", "something else");
                }
            }
        }, "did not reach the upstream");
    }

    @Test
    void aSecondSystemMessageIsCaught() throws Exception {
        JsonNode sent = Fixtures.bodyTree(TOOL_ROUND_TRIP);
        assertCaught(sent, upstream -> ((ArrayNode) upstream.get("messages")).addObject()
                .put("role", "system").put("content", "late"), "system message");
    }

    @Test
    void aDroppedStopSequenceIsCaught() throws Exception {
        ObjectNode sent = (ObjectNode) Fixtures.bodyTree(TOOL_ROUND_TRIP);
        sent.putArray("stop_sequences").add("</answer>").add("STOP");
        assertCaught(sent, upstream -> ((ArrayNode) upstream.get("stop")).remove(1), "stop_sequences");
    }

    @Test
    void aMaxTokensAboveTheClientsIsCaught() throws Exception {
        ObjectNode sent = (ObjectNode) Fixtures.bodyTree(TOOL_ROUND_TRIP);
        sent.put("max_tokens", 1000);
        assertCaught(sent, upstream -> upstream.put("max_tokens", 1001), "max_tokens");
    }

    @Test
    void aChangedToolChoiceIsCaught() throws Exception {
        ObjectNode sent = (ObjectNode) Fixtures.bodyTree(TOOL_ROUND_TRIP);
        sent.putObject("tool_choice").put("type", "none");
        assertCaught(sent, upstream -> upstream.put("tool_choice", "auto"), "tool_choice");
    }

    @Test
    void aLostParallelToolUseSwitchIsCaught() throws Exception {
        ObjectNode sent = (ObjectNode) Fixtures.bodyTree(TOOL_ROUND_TRIP);
        sent.putObject("tool_choice").put("type", "auto").put("disable_parallel_tool_use", true);
        assertCaught(sent, upstream -> upstream.remove("parallel_tool_calls"), "parallel_tool_calls");
    }

    @Test
    void aFailedToolResultNotMarkedAsAnErrorIsCaught() throws Exception {
        ObjectNode sent = (ObjectNode) Fixtures.bodyTree(TOOL_ROUND_TRIP);
        for (JsonNode m : sent.get("messages")) {
            for (JsonNode block : m.path("content")) {
                if (block.path("type").asText().equals("tool_result")) {
                    ((ObjectNode) block).put("is_error", true);
                }
            }
        }
        assertCaught(sent, upstream -> {
            for (JsonNode m : upstream.get("messages")) {
                if (m.path("role").asText().equals("tool")) {
                    ((ObjectNode) m).put("content", m.path("content").asText().replaceFirst("^Error: ", ""));
                }
            }
        }, "not marked as an error");
    }

    private static void assertCaught(JsonNode sent, Consumer<ObjectNode> damage, String messagePart) throws Exception {
        ObjectNode upstream = (ObjectNode) throughTheProxy(sent).deepCopy();
        UpstreamRequestCheck.assertCarries(sent, upstream);
        damage.accept(upstream);
        var failure = assertThrows(AssertionFailedError.class, () -> UpstreamRequestCheck.assertCarries(sent, upstream));
        assertTrue(failure.getMessage().contains(messagePart), failure.getMessage());
    }

    private static JsonNode firstToolCall(JsonNode upstream) {
        for (JsonNode m : upstream.get("messages")) {
            if (m.has("tool_calls")) {
                return m.get("tool_calls").get(0);
            }
        }
        throw new AssertionError("no tool call in " + upstream);
    }

    /** Sends {@code body} to ncp and returns the upstream request it made of it. */
    private static JsonNode throughTheProxy(JsonNode sent) throws Exception {
        JsonNode body = ((ObjectNode) sent.deepCopy()).put("model", VISION_MODEL);
        int before = proxy.upstream().requests().size();
        var request = HttpRequest.newBuilder(URI.create(proxy.baseUrl() + "/v1/messages"))
                .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        List<ScriptedUpstream.RecordedRequest> requests = proxy.upstream().requests();
        assertEquals(before + 1, requests.size(), "one upstream request per client request");
        return requests.get(before).json();
    }
}
