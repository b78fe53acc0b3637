package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.core.JsonValue;
import com.anthropic.core.ObjectMappers;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Tool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ncp.host.processors.guard.GuardKind;
import dev.ncp.host.testing.Fixtures;
import dev.ncp.host.testing.HttpCalls;
import dev.ncp.host.testing.PrometheusText;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The open models' tool-call mistakes ({@code fixtures/upstream/guard-*.sse}, INDEX.md says what each must give)
 * through a whole ncp with no model plugin — the guard alone repairs them — cut into two pieces at every byte: read
 * by the official Anthropic SDK streamed (accumulated) and not, and as raw SSE (Anthropic's grammar, each tool
 * block's {@code partial_json} concatenating to exactly its input). Each must give the message INDEX.md describes,
 * and the guard must count what it did in {@code ncp_guard_interventions_total}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuardFixturesThroughProxyTest {

    private static final String MODEL = "claude-opus-5-5";
    private static final String STRING = "{\"type\": \"string\"}";
    private static final String INTEGER = "{\"type\": \"integer\"}";
    /** The tools of every request, as Claude Code declares them (the parts the fixtures use). */
    private static final Map<String, String> TOOLS = tools();

    private ProxyHarness h;

    @BeforeAll
    void start() {
        h = ProxyHarness.start();
    }

    @AfterAll
    void stop() {
        h.close();
    }

    record Case(String fixture, String content, String stopReason, GuardKind counted) {
        @Override
        public String toString() {
            return fixture;
        }
    }

    static Stream<Case> fixtures() {
        return Stream.of(
                new Case("guard-args-trailing-comma.sse", "[" + tool("Bash",
                        "{\"command\": \"npm run lint\", \"description\": \"Run the linter\"}") + "]", "tool_use",
                        GuardKind.ARGS_REPAIRED),
                new Case("guard-args-truncated-brace.sse", "[" + tool("Read",
                        "{\"file_path\": \"/home/dev/app/TODO.md\"}") + "]", "tool_use", GuardKind.ARGS_REPAIRED),
                new Case("guard-args-string-integer.sse", "[" + tool("Read",
                        "{\"file_path\": \"/home/dev/app/server.log\", \"offset\": 300, \"limit\": 25}") + "]",
                        "tool_use", GuardKind.ARGS_COERCED),
                new Case("guard-args-fenced.sse", "[" + tool("Grep",
                        "{\"pattern\": \"XXX\", \"path\": \"/home/dev/app/lib\"}") + "]", "tool_use",
                        GuardKind.ARGS_REPAIRED),
                new Case("guard-name-case.sse", "[" + text("Checking the user.") + ", "
                        + tool("Bash", "{\"command\": \"whoami\"}") + "]", "tool_use", GuardKind.NAME_FIXED),
                new Case("guard-hermes-json-in-text.sse", "[" + text("I will look at the changelog.") + ", "
                        + tool("Read", "{\"file_path\": \"/home/dev/app/CHANGELOG.md\"}") + "]", "tool_use",
                        GuardKind.TEXT_CALL),
                new Case("guard-nemotron-toolcall-tag.sse", "[" + tool("Grep",
                        "{\"pattern\": \"legacy\", \"path\": \"/home/dev/app\"}") + "]", "tool_use",
                        GuardKind.TEXT_CALL),
                new Case("guard-llama-python-tag.sse", "[" + tool("Bash", "{\"command\": \"cat VERSION\"}") + "]",
                        "tool_use", GuardKind.TEXT_CALL),
                new Case("guard-mistral-tool-calls.sse", "[" + tool("Read",
                        "{\"file_path\": \"/home/dev/app/pom.xml\"}") + "]", "tool_use", GuardKind.TEXT_CALL),
                new Case("guard-deepseek-dsml.sse", "[" + tool("Grep",
                        "{\"pattern\": \"FIXME\", \"path\": \"/home/dev/app\"}") + "]", "tool_use",
                        GuardKind.TEXT_CALL),
                new Case("guard-prose-mentions-tag.sse", "[" + text("Some templates put <tool_call> around a call,"
                        + " and this sentence only talks about them.") + "]", "end_turn", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyCutGivesTheRepairedMessageToTheSdkAndOnTheWire(Case c) {
        byte[] body = Fixtures.upstream(c.fixture());
        JsonNode expected = Wire.json(c.content());

        PrometheusText before = metrics();
        assertMessage(c, expected, nonStreamed(Script.stream(body)), "whole, not streamed");
        PrometheusText after = metrics();
        assertEquals(c.counted() == null ? 0 : 1, guardTotal(after) - guardTotal(before),
                "interventions counted for one answer");
        if (c.counted() != null) {
            assertEquals(1, interventions(after, c.counted()) - interventions(before, c.counted()), c.counted()
                    + " counted");
        }
        assertMessage(c, expected, streamed(Script.stream(body)), "whole, streamed");
        assertWire(c, expected, Script.stream(body), "whole");
        for (int cut = 1; cut < body.length; cut++) {
            assertMessage(c, expected, streamed(Script.stream(body).cutAt(cut)), "cut at " + cut + ", streamed");
            assertMessage(c, expected, nonStreamed(Script.stream(body).cutAt(cut)), "cut at " + cut + ", not streamed");
            assertWire(c, expected, Script.stream(body).cutAt(cut), "cut at " + cut);
        }
    }

    private void assertMessage(Case c, JsonNode expectedContent, Message message, String how) {
        ObjectNode json = ObjectMappers.jsonMapper().valueToTree(message);
        assertEquals(expectedContent, comparable(json.path("content")), c.fixture() + " " + how);
        assertEquals(c.stopReason(), json.path("stop_reason").asText(), c.fixture() + " " + how + ": stop_reason");
    }

    /** The raw stream: Anthropic's grammar, input deltas adding up to the input, the same blocks. */
    private void assertWire(Case c, JsonNode expectedContent, Script script, String how) {
        h.upstream().enqueue(script);
        var reply = Wire.post(h, "/v1/messages", requestJson(true));
        assertEquals(200, reply.status(), reply.text());
        SseEvents events = SseEvents.parse(reply.body());
        Map<Integer, String> inputs = events.assertGrammar();
        var blocks = new LinkedHashMap<Integer, ObjectNode>();
        for (SseEvents.Event e : events.content()) {
            int index = e.data().path("index").asInt(-1);
            switch (e.event()) {
                case "content_block_start" -> blocks.put(index, (ObjectNode) e.data().path("content_block").deepCopy());
                case "content_block_delta" -> {
                    JsonNode delta = e.data().path("delta");
                    if (delta.path("type").asText().equals("text_delta")) {
                        ObjectNode block = blocks.get(index);
                        block.put("text", block.path("text").asText() + delta.path("text").asText());
                    }
                }
                default -> { }
            }
        }
        inputs.forEach((index, input) -> blocks.get(index).set("input", Wire.json(input)));
        ArrayNode content = Wire.JSON.createArrayNode();
        blocks.values().forEach(content::add);
        assertEquals(expectedContent, comparable(content), c.fixture() + " " + how + ", raw SSE");
        String stop = events.first("message_delta").data().path("delta").path("stop_reason").asText();
        assertEquals(c.stopReason(), stop, c.fixture() + " " + how + ", raw SSE stop_reason");
    }

    /** Blocks as compared: text blocks by their text, tool_use by name and input (ids checked, then left out). */
    private static ArrayNode comparable(JsonNode content) {
        ArrayNode out = Wire.JSON.createArrayNode();
        for (JsonNode block : content) {
            ObjectNode b = out.addObject();
            String type = block.path("type").asText();
            b.put("type", type);
            if (type.equals("tool_use")) {
                assertTrue(block.path("id").asText().matches("toolu_[0-9A-Za-z]+"), block.toString());
                b.put("name", block.path("name").asText());
                b.set("input", Wire.json(block.path("input").toString())); // one number type for both readers
            } else {
                b.put("text", block.path("text").asText());
            }
        }
        return out;
    }

    private Message streamed(Script script) {
        h.upstream().enqueue(script);
        var acc = MessageAccumulator.create();
        try (var stream = h.client().messages().createStreaming(params())) {
            stream.stream().forEach(acc::accumulate);
        }
        return acc.message();
    }

    private Message nonStreamed(Script script) {
        h.upstream().enqueue(script);
        return h.client().messages().create(params());
    }

    private static MessageCreateParams params() {
        var b = MessageCreateParams.builder().model(MODEL).maxTokens(4096).addUserMessage("Tidy up the app");
        TOOLS.forEach((name, properties) -> b.addTool(Tool.builder().name(name)
                .inputSchema(Tool.InputSchema.builder()
                        .properties(JsonValue.from(ObjectMappers.jsonMapper().convertValue(Wire.json(properties),
                                Map.class)))
                        .build())
                .build()));
        return b.build();
    }

    private static String requestJson(boolean stream) {
        var tools = new StringBuilder();
        TOOLS.forEach((name, properties) -> tools.append(tools.isEmpty() ? "" : ",").append("{\"name\": \"")
                .append(name).append("\", \"input_schema\": {\"type\": \"object\", \"properties\": ")
                .append(properties).append("}}"));
        return "{\"model\": \"" + MODEL + "\", \"max_tokens\": 4096, \"stream\": " + stream + ", \"messages\": "
                + "[{\"role\": \"user\", \"content\": \"Tidy up the app\"}], \"tools\": [" + tools + "]}";
    }

    private static double interventions(PrometheusText metrics, GuardKind kind) {
        return metrics.sum("ncp_guard_interventions_total", "kind", kind.wireName());
    }

    private static double guardTotal(PrometheusText metrics) {
        return metrics.sum("ncp_guard_interventions_total");
    }

    private PrometheusText metrics() {
        return PrometheusText.parse(HttpCalls.text(HttpCalls.get(h.baseUrl(), "/metrics", Map.of())));
    }

    private static String tool(String name, String input) {
        return "{\"type\": \"tool_use\", \"name\": \"" + name + "\", \"input\": " + input + "}";
    }

    private static String text(String text) {
        return "{\"type\": \"text\", \"text\": " + Wire.JSON.valueToTree(text) + "}";
    }

    private static Map<String, String> tools() {
        var tools = new LinkedHashMap<String, String>();
        tools.put("Read", "{\"file_path\": " + STRING + ", \"offset\": " + INTEGER + ", \"limit\": " + INTEGER + "}");
        tools.put("Grep", "{\"pattern\": " + STRING + ", \"path\": " + STRING + "}");
        tools.put("Bash", "{\"command\": " + STRING + ", \"description\": " + STRING + ", \"timeout\": " + INTEGER
                + "}");
        return tools;
    }
}
