package dev.ncp.plugin.qwen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.model.Thinking;
import dev.ncp.api.stream.StopReason;
import dev.ncp.api.stream.Usage;
import dev.ncp.host.sse.ResponseMessage;
import dev.ncp.host.sse.ResponseMessage.Block;
import dev.ncp.host.sse.ResponseMessage.Text;
import dev.ncp.host.sse.ResponseMessage.ToolUse;
import dev.ncp.host.testing.AdapterAnswers;
import dev.ncp.host.testing.AnswerHarness;
import dev.ncp.host.testing.AnswerHarness.Outcome;
import dev.ncp.host.testing.Fixtures;
import dev.ncp.host.testing.UpstreamSse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Qwen3-Coder's XML tool calls written in the content, through the real response path with the adapter's
 * processors: the recorded fixture whole, cut at every byte, its content re-chunked at every character; typed
 * parameters, several calls, values with {@code <} and newlines, an unterminated call.
 */
class QwenXmlToolCallsTest {

    private static final QwenAdapter ADAPTER = new QwenAdapter();
    private static final String CODER = "qwen/qwen3-coder-480b-a35b-instruct";
    private static final String FIXTURE = "qwen3-coder-xml-tool-call-in-text.sse";

    private static final Map<String, Map<String, Object>> TOOLS = Map.of(
            "Write", schema(Map.of("file_path", type("string"), "content", type("string"))),
            "Read", schema(Map.of("file_path", type("string"), "offset", type("integer"), "limit", type("integer"))),
            "Bash", schema(Map.of("command", type("string"), "timeout", type("number"),
                    "run_in_background", type("boolean"))),
            "MultiEdit", schema(Map.of("file_path", type("string"), "edits", Map.of("type", "array",
                    "items", schema(Map.of("old_string", type("string"), "new_string", type("string")))))));

    private static Map<String, Object> schema(Map<String, Object> properties) {
        return Map.of("type", "object", "properties", properties);
    }

    private static Map<String, Object> type(String type) {
        return Map.of("type", type);
    }

    private static ShapingContext coder() {
        return AdapterAnswers.shaping(QwenShapingTest.model(CODER), TOOLS, Thinking.ABSENT);
    }

    private static Outcome aggregate(byte[] body, int... cuts) {
        return AdapterAnswers.aggregate(ADAPTER, coder(), body, cuts);
    }

    private static byte[] stream(String content, String finishReason, int chunk) {
        return UpstreamSse.content(CODER, UpstreamSse.pieces(content, chunk), finishReason);
    }

    private static JsonNode json(String text) {
        try {
            return AnswerHarness.JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** The content blocks with tool ids replaced by their position, so answers can be compared across runs. */
    private static List<Block> blocks(Outcome outcome) {
        assertNull(outcome.error(), outcome::errorText);
        var out = new ArrayList<Block>();
        int n = 0;
        for (Block b : outcome.message().content()) {
            out.add(b instanceof ToolUse t ? new ToolUse("call" + n++, t.name(), t.input()) : b);
        }
        return out;
    }

    private static final List<Block> FIXTURE_BLOCKS = List.of(new Text("I'll create the file."),
            new ToolUse("call0", "Write", json("{\"file_path\":\"/tmp/hello.txt\",\"content\":\"hello world\"}")));

    @Test
    void theRecordedAnswerBecomesTextThenAToolUseAndStopsForToolUse() {
        Outcome outcome = aggregate(Fixtures.upstream(FIXTURE));
        ResponseMessage m = outcome.message();
        assertEquals(FIXTURE_BLOCKS, blocks(outcome));
        assertTrue(((ToolUse) m.content().get(1)).id().matches("toolu_[0-9A-Za-z]+"), m.toString());
        assertEquals(StopReason.TOOL_USE, m.stopReason());
        assertEquals(new Usage(900, 50, 0, 0), m.usage());
    }

    @Test
    void theStreamedAnswerAccumulatesInTheSdkToTheSameMessageWithNoXmlInAnyTextDelta() {
        byte[] sse = AdapterAnswers.sse(ADAPTER, coder(), Fixtures.upstream(FIXTURE));
        String wire = new String(sse, StandardCharsets.UTF_8);
        Matcher textDeltas = Pattern.compile("\"text_delta\",\"text\":\"([^\"]*)\"").matcher(wire);
        var streamedText = new StringBuilder();
        while (textDeltas.find()) {
            streamedText.append(textDeltas.group(1));
        }
        assertEquals("I'll create the file.", streamedText.toString());
        assertFalse(wire.contains("<tool_call>") || wire.contains("<function") || wire.contains("parameter>"), wire);

        Message m = AdapterAnswers.accumulate(sse);
        assertEquals(com.anthropic.models.messages.StopReason.TOOL_USE, m.stopReason().orElseThrow());
        assertEquals("I'll create the file.", m.content().get(0).asText().text());
        ContentBlock call = m.content().get(1);
        assertEquals("Write", call.asToolUse().name());
        assertEquals(json("{\"file_path\":\"/tmp/hello.txt\",\"content\":\"hello world\"}"),
                AnswerHarness.JSON.valueToTree(call.asToolUse()._input()));
    }

    @Test
    void theFixtureCutAtEveryByteGivesTheSameMessage() {
        byte[] body = Fixtures.upstream(FIXTURE);
        for (int cut = 1; cut < body.length; cut++) {
            assertEquals(FIXTURE_BLOCKS, blocks(aggregate(body, cut)), "cut at byte " + cut);
        }
    }

    /** The fixture's content, as one string: what the model wrote. */
    private static String fixtureContent() {
        var content = new StringBuilder();
        Matcher m = Pattern.compile("\"content\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(
                new String(Fixtures.upstream(FIXTURE), StandardCharsets.UTF_8));
        while (m.find()) {
            content.append(json("\"" + m.group(1) + "\"").asText());
        }
        return content.toString();
    }

    @Test
    void theFixturesContentReChunkedAtEveryCharacterGivesTheSameMessage() {
        String content = fixtureContent();
        assertTrue(content.startsWith("I'll create the file.\n<tool_call>"), content);
        for (int cut = 1; cut < content.length(); cut++) {
            byte[] body = UpstreamSse.content(CODER, List.of(content.substring(0, cut), content.substring(cut)),
                    "stop");
            assertEquals(FIXTURE_BLOCKS, blocks(aggregate(body)), "content cut at " + cut);
        }
        for (int size = 1; size <= 7; size++) {
            assertEquals(FIXTURE_BLOCKS, blocks(aggregate(stream(content, "stop", size))), size + "-char deltas");
        }
    }

    @Test
    void parametersAreTypedByTheToolsSchema() {
        String content = "<tool_call>\n<function=Read>\n<parameter=file_path>\n/repo/a.py\n</parameter>\n"
                + "<parameter=offset>\n120\n</parameter>\n<parameter=limit>\n40\n</parameter>\n</function>\n"
                + "</tool_call>\n<tool_call>\n<function=Bash>\n<parameter=command>\nsleep 5 && echo 42\n</parameter>\n"
                + "<parameter=timeout>\n30000.5\n</parameter>\n<parameter=run_in_background>\nfalse\n</parameter>\n"
                + "</function>\n</tool_call>\n<tool_call>\n<function=MultiEdit>\n<parameter=file_path>\n/a\n"
                + "</parameter>\n<parameter=edits>\n[{\"old_string\": \"x < 1\", \"new_string\": \"x <= 1\"}]\n"
                + "</parameter>\n</function>\n</tool_call>";
        assertEquals(List.of(
                        new ToolUse("call0", "Read",
                                json("{\"file_path\":\"/repo/a.py\",\"offset\":120,\"limit\":40}")),
                        new ToolUse("call1", "Bash", json("{\"command\":\"sleep 5 && echo 42\",\"timeout\":30000.5,"
                                + "\"run_in_background\":false}")),
                        new ToolUse("call2", "MultiEdit", json("{\"file_path\":\"/a\",\"edits\":[{\"old_string\":"
                                + "\"x < 1\",\"new_string\":\"x <= 1\"}]}"))),
                blocks(aggregate(stream(content, "stop", 5))));
    }

    @Test
    void severalCallsBetweenTextEachBecomeTheirOwnBlockInOrder() {
        String content = "Two files to read.\n<tool_call>\n<function=Read>\n<parameter=file_path>\n/a\n</parameter>\n"
                + "</function>\n</tool_call>\n<tool_call>\n<function=Read>\n<parameter=file_path>\n/b\n"
                + "</parameter>\n</function>\n</tool_call>";
        Outcome outcome = aggregate(stream(content, "stop", 3));
        assertEquals(List.of(new Text("Two files to read."),
                new ToolUse("call0", "Read", json("{\"file_path\":\"/a\"}")),
                new ToolUse("call1", "Read", json("{\"file_path\":\"/b\"}"))), blocks(outcome));
        var ids = outcome.message().content().stream().filter(b -> b instanceof ToolUse).map(b -> ((ToolUse) b).id())
                .distinct().count();
        assertEquals(2, ids, "each call has its own id");
        assertEquals(StopReason.TOOL_USE, outcome.message().stopReason());
    }

    @Test
    void valuesWithAngleBracketsAndNewlinesArriveExactly() {
        String source = "<html>\n  <body class=\"a\">if (a < b && b > c) { return \"</p>\"; }</body>\n</html>\n"
                + "</parameter is not the end without its bracket\n\n";
        String content = "<tool_call>\n<function=Write>\n<parameter=file_path>\n/site/index.html\n</parameter>\n"
                + "<parameter=content>\n" + source + "\n</parameter>\n</function>\n</tool_call>";
        for (int size : new int[] {1, 2, 11, 64}) {
            Outcome outcome = aggregate(stream(content, "stop", size));
            assertEquals(List.of(new ToolUse("call0", "Write", AnswerHarness.JSON.createObjectNode()
                    .put("file_path", "/site/index.html").put("content", source))), blocks(outcome),
                    size + "-char deltas");
        }
    }

    @Test
    void aCallCutOffByMaxTokensKeepsTheParametersItFinished() {
        // the tool_use went out when its name was read; like Anthropic's own cut tool_use, it stays, input closed
        String content = "Writing it now.\n<tool_call>\n<function=Write>\n<parameter=file_path>\n/tmp/x\n</parameter>\n"
                + "<parameter=content>\nthe first half of the fi";
        for (int size : new int[] {1, 4, 1000}) {
            Outcome outcome = aggregate(stream(content, "length", size));
            assertEquals(List.of(new Text("Writing it now."), new ToolUse("call0", "Write",
                    AnswerHarness.JSON.createObjectNode().put("file_path", "/tmp/x"))), blocks(outcome),
                    size + "-char deltas");
            assertEquals(StopReason.MAX_TOKENS, outcome.message().stopReason());
        }
    }

    @Test
    void aCallToAToolTheRequestDidNotOfferStaysTextAndTheAnswerEndsNormally() {
        String content = "<tool_call>\n<function=DeleteEverything>\n</function>\n</tool_call>";
        Outcome outcome = aggregate(stream(content, "stop", 6));
        assertEquals(List.of(new Text(content)), blocks(outcome));
        assertEquals(StopReason.END_TURN, outcome.message().stopReason());
    }
}
