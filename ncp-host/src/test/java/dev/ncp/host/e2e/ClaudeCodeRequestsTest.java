package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.anthropic.Fixtures;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every request Claude Code and Anthropic's JS SDK were recorded sending, replayed byte for byte (same path, same
 * headers), against an upstream answering plain text: ncp answers 200, and what it sent upstream is a complete,
 * valid OpenAI chat request.
 */
class ClaudeCodeRequestsTest {

    /** Anthropic itself rejects it: a tool_result answers a tool_use id that no assistant turn contains. */
    private static final String REJECTED_BY_ANTHROPIC = "anthropic-js-sdk--006-POST-v1-messages.json";
    /** An image for the Sonnet family, which ncp maps to a model without vision. */
    private static final String IMAGE_FOR_SONNET = "anthropic-js-sdk--007-POST-v1-messages.json";
    /** What the registry says the models these requests resolve to may produce at most. */
    private static final int MAX_OUTPUT = 16_384;

    private ProxyHarness h;

    @BeforeEach
    void start() {
        h = ProxyHarness.start();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    record Recorded(String name, String method, String path, Map<String, String> headers, JsonNode body) {

        static Recorded load(String name) {
            try (InputStream in = Recorded.class.getResourceAsStream("/fixtures/claude-code/" + name)) {
                JsonNode file = Wire.JSON.readTree(in);
                var headers = new LinkedHashMap<String, String>();
                file.path("headers").fields().forEachRemaining(f -> headers.put(f.getKey(), f.getValue().asText()));
                return new Recorded(name, file.path("method").asText(), file.path("path").asText(), headers,
                        file.get("body"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Wire.Reply replay(ProxyHarness h) {
            byte[] bytes = body == null || body.isNull() ? null : Wire.JSON.valueToTree(body).toString()
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return Wire.send(h, method, path, headers, bytes);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Recorded> messageRequests() {
        return Fixtures.messageRequests().stream()
                .filter(n -> !n.contains("count_tokens"))
                .filter(n -> !n.equals(REJECTED_BY_ANTHROPIC) && !n.equals(IMAGE_FOR_SONNET))
                .map(Recorded::load);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messageRequests")
    void eachRecordedRequestIsAnsweredAndBecomesACompleteOpenAiRequest(Recorded recorded) {
        h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
        Wire.Reply reply = recorded.replay(h);

        assertEquals(200, reply.status(), reply.text());
        Wire.assertRequestId(reply);
        String requestedModel = recorded.body().path("model").asText();
        if (recorded.body().path("stream").asBoolean()) {
            assertTrue(reply.header("content-type").startsWith("text/event-stream"), reply.headers().toString());
            SseEvents sse = SseEvents.parse(reply.body());
            sse.assertGrammar();
            JsonNode start = sse.first("message_start").data().path("message");
            assertEquals(requestedModel, start.path("model").asText());
            assertTrue(start.path("usage").path("input_tokens").asInt() > 0, "Claude Code's context meter: " + start);
            assertEquals("end_turn",
                    sse.first("message_delta").data().path("delta").path("stop_reason").asText());
        } else {
            JsonNode message = reply.json();
            assertEquals("message", message.path("type").asText(), message.toString());
            assertEquals(requestedModel, message.path("model").asText());
            assertTrue(message.path("content").get(0).path("text").asText().startsWith("Hello!"), message.toString());
            assertEquals("end_turn", message.path("stop_reason").asText());
        }

        assertEquals(1, h.upstream().requests().size());
        JsonNode sent = h.upstream().requests().get(0).json();
        assertEquals(reply.header("x-ncp-model"), sent.path("model").asText());
        assertCompleteOpenAiRequest(recorded.body(), sent);
    }

    /** What a strict OpenAI-compatible server (vLLM's chat templates included) needs to accept the request. */
    static void assertCompleteOpenAiRequest(JsonNode anthropic, JsonNode sent) {
        assertFalse(sent.path("model").asText().isBlank(), "model: " + sent);
        assertTrue(sent.path("stream").asBoolean(), "stream: true");
        assertTrue(sent.path("stream_options").path("include_usage").asBoolean(), "stream_options.include_usage");

        int maxTokens = sent.path("max_tokens").asInt(-1);
        int asked = anthropic.path("max_tokens").asInt();
        assertTrue(maxTokens > 0 && maxTokens <= Math.min(asked, MAX_OUTPUT),
                "max_tokens " + maxTokens + " for a request of " + asked);

        JsonNode messages = sent.path("messages");
        List<String> roles = new ArrayList<>();
        messages.forEach(m -> roles.add(m.path("role").asText()));
        long systemMessages = roles.stream().filter("system"::equals).count();
        boolean systemSent = anthropic.has("system") || leadingSystemMessages(anthropic) > 0;
        assertEquals(systemSent ? 1 : 0, systemMessages, "one system message: " + roles);
        if (systemSent) {
            assertEquals("system", roles.get(0), "the system message leads: " + roles);
        }
        assertTrue(Set.of("system", "user", "assistant", "tool").containsAll(roles), roles.toString());

        assertEquals(anthropic.path("tools").size(), sent.path("tools").size(), "every tool is sent");
        for (JsonNode tool : sent.path("tools")) {
            assertEquals("function", tool.path("type").asText(), tool.toString());
            assertFalse(tool.path("function").path("name").asText().isBlank(), tool.toString());
            assertTrue(tool.path("function").path("parameters").isObject(), tool.toString());
        }

        assertEveryToolCallAnsweredOnce(messages);
        int toolUses = 0;
        for (JsonNode m : anthropic.path("messages")) {
            for (JsonNode block : m.path("content")) {
                toolUses += block.path("type").asText().equals("tool_use") ? 1 : 0;
            }
        }
        assertEquals(toolUses, roles.stream().filter("tool"::equals).count(), "one tool message per tool_use");
        var forbidden = new ArrayList<String>();
        findKeys(sent, Set.of("cache_control", "thinking", "$schema"), "", forbidden);
        assertEquals(List.of(), forbidden, "Anthropic-only fields sent upstream");
    }

    /** {@code role: "system"} messages before the first assistant turn (Claude Code's environment notes). */
    private static int leadingSystemMessages(JsonNode anthropic) {
        int n = 0;
        for (JsonNode m : anthropic.path("messages")) {
            String role = m.path("role").asText();
            if (role.equals("assistant")) {
                break;
            }
            n += role.equals("system") ? 1 : 0;
        }
        return n;
    }

    /** Each assistant tool call is followed by exactly one tool message with its id, before the next assistant turn. */
    private static void assertEveryToolCallAnsweredOnce(JsonNode messages) {
        var open = new HashSet<String>();
        var answered = new HashMap<String, Integer>();
        for (JsonNode m : messages) {
            switch (m.path("role").asText()) {
                case "assistant" -> {
                    assertEquals(Set.of(), open, "calls left unanswered before the next assistant turn");
                    for (JsonNode call : m.path("tool_calls")) {
                        assertTrue(open.add(call.path("id").asText()), "duplicate tool call id " + call);
                        Wire.json(call.path("function").path("arguments").asText()); // arguments are JSON
                    }
                }
                case "tool" -> {
                    String id = m.path("tool_call_id").asText();
                    assertTrue(open.remove(id), "a tool message for no open call: " + m);
                    answered.merge(id, 1, Integer::sum);
                }
                default -> assertEquals(Set.of(), open, "a " + m.path("role").asText()
                        + " message before every call was answered: " + messages);
            }
        }
        assertEquals(Set.of(), open, "unanswered tool calls");
        answered.values().forEach(n -> assertEquals(1, n));
    }

    private static void findKeys(JsonNode node, Set<String> keys, String path, List<String> found) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                if (keys.contains(f.getKey())) {
                    found.add(path + "." + f.getKey());
                }
                findKeys(f.getValue(), keys, path + "." + f.getKey(), found);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                findKeys(node.get(i), keys, path + "." + i, found);
            }
        }
    }

    @Test
    void aToolResultForAToolUseThatNeverHappenedIsRefusedAsAnthropicDoes() {
        Wire.Reply reply = Recorded.load(REJECTED_BY_ANTHROPIC).replay(h);
        String message = Wire.assertAnthropicError(reply, 400, "invalid_request_error");
        assertTrue(message.contains("toolu_02"), message);
        assertEquals(0, h.upstream().requests().size());
    }

    @Test
    void countTokensRequestsAnswerAPositiveCount() {
        for (String name : List.of("anthropic-js-sdk--010-POST-v1-messages-count_tokens.json",
                "anthropic-js-sdk--012-POST-v1-messages-count_tokens.json")) {
            Wire.Reply reply = Recorded.load(name).replay(h);
            assertEquals(200, reply.status(), reply.text());
            JsonNode body = reply.json();
            assertEquals(List.of("input_tokens"), fieldNames(body), body.toString());
            assertTrue(body.path("input_tokens").isInt() && body.path("input_tokens").asInt() > 0, body.toString());
        }
        assertEquals(0, h.upstream().requests().size(), "counting is local");
    }

    @Test
    void theModelsListAnswersTheSdksRequest() {
        Wire.Reply reply = Recorded.load("anthropic-js-sdk--013-GET-v1-models.json").replay(h);
        assertEquals(200, reply.status(), reply.text());
        JsonNode body = reply.json();
        assertTrue(body.path("data").isArray() && !body.path("data").isEmpty(), body.toString());
        for (JsonNode model : body.path("data")) {
            assertEquals("model", model.path("type").asText());
            assertFalse(model.path("id").asText().isBlank());
        }
        assertTrue(body.has("has_more") && body.has("first_id") && body.has("last_id"), body.toString());
    }

    @Test
    void theConnectivityProbeAnswers() {
        Wire.Reply reply = Recorded.load("with-connectivity-probe--001-HEAD-api-hello.json").replay(h);
        assertEquals(200, reply.status());
    }

    private static List<String> fieldNames(JsonNode node) {
        var names = new ArrayList<String>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
