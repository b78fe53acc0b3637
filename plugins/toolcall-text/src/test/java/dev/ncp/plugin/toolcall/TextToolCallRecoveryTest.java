package dev.ncp.plugin.toolcall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.stream.StopReason;
import dev.ncp.api.stream.StreamContext;
import dev.ncp.api.stream.StreamEvent;
import dev.ncp.api.stream.StreamEvent.ContentBlockDelta;
import dev.ncp.api.stream.StreamEvent.ContentBlockStart;
import dev.ncp.api.stream.StreamEvent.ContentBlockStop;
import dev.ncp.api.stream.StreamEvent.InputJsonDelta;
import dev.ncp.api.stream.StreamEvent.MessageDelta;
import dev.ncp.api.stream.StreamEvent.MessageStop;
import dev.ncp.api.stream.StreamEvent.TextBlock;
import dev.ncp.api.stream.StreamEvent.TextDelta;
import dev.ncp.api.stream.StreamEvent.ThinkingBlock;
import dev.ncp.api.stream.StreamEvent.ThinkingDelta;
import dev.ncp.api.stream.StreamEvent.ToolUseBlock;
import dev.ncp.api.stream.StreamProcessor.Stage;
import dev.ncp.api.stream.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The processor's events: blocks, keys, ids, names and the stop reason, as the rest of the chain sees them. */
class TextToolCallRecoveryTest {

    private static final Usage USAGE = new Usage(10, 5, 0, 0);

    /** Keys from 100 on (the translator's are below), ids and names marked so the test sees where they came from. */
    private static final class FakeContext implements StreamContext {
        private final ShapingContext request;
        private int nextKey = 100;
        private int nextId;

        FakeContext(Map<String, Map<String, Object>> tools) {
            this.request = new ShapingContext(ModelInfo.unknown("m/m"), "claude", null, tools, List.of());
        }

        @Override
        public ShapingContext request() {
            return request;
        }

        @Override
        public int newBlockKey() {
            return nextKey++;
        }

        @Override
        public String newToolUseId() {
            return "toolu_fresh" + nextId++;
        }

        @Override
        public String toolUseIdFor(String upstreamId) {
            return "toolu_for(" + upstreamId + ")";
        }

        @Override
        public String clientToolName(String upstreamName) {
            return "client:" + upstreamName;
        }
    }

    private static List<StreamEvent> run(TextToolCallRecovery processor, Map<String, Map<String, Object>> tools,
                                         List<StreamEvent> in) {
        Stage stage = processor.open(new FakeContext(tools));
        var out = new ArrayList<StreamEvent>();
        in.forEach(e -> stage.onEvent(e, out::add));
        stage.onComplete(out::add);
        return out;
    }

    private static List<StreamEvent> textBlock(int key, String... deltas) {
        var events = new ArrayList<StreamEvent>();
        events.add(new ContentBlockStart(key, new TextBlock()));
        for (String d : deltas) {
            events.add(new ContentBlockDelta(key, new TextDelta(d)));
        }
        events.add(new ContentBlockStop(key));
        return events;
    }

    private static final Map<String, Map<String, Object>> READ =
            Map.of("Read", Map.of("type", "object", "properties", Map.of("file_path", Map.of("type", "string"))));

    @Test
    void aRecoveredCallIsATextBlockThenAToolUseBlockAndTheAnswerStopsForToolUse() {
        var in = new ArrayList<StreamEvent>(textBlock(0, "Reading.\n<function=Read>\n<parameter=file_path>\n/a",
                "\n</parameter>\n</function>"));
        in.add(new MessageDelta(StopReason.END_TURN, null, USAGE));
        in.add(new MessageStop());
        assertEquals(List.of(
                new ContentBlockStart(100, new TextBlock()),
                new ContentBlockDelta(100, new TextDelta("Reading.")),
                new ContentBlockStop(100),
                new ContentBlockStart(101, new ToolUseBlock("toolu_fresh0", "client:Read")),
                new ContentBlockDelta(101, new InputJsonDelta("{\"file_path\":\"/a\"")),
                new ContentBlockDelta(101, new InputJsonDelta("}")),
                new ContentBlockStop(101),
                new MessageDelta(StopReason.TOOL_USE, null, USAGE),
                new MessageStop()), run(TextToolCallRecovery.qwenXml(), READ, in));
    }

    @Test
    void kimiIdsAreMappedSoTheNextRequestGetsThemBack() {
        var in = new ArrayList<StreamEvent>(textBlock(3, "<|tool_calls_section_begin|><|tool_call_begin|>"
                + "functions.Read:0<|tool_call_argument_begin|>{\"file_path\":\"/a\"}<|tool_call_end|>"
                + "<|tool_calls_section_end|><|im_end|>"));
        in.add(new MessageDelta(StopReason.STOP_SEQUENCE, "###", USAGE));
        assertEquals(List.of(
                new ContentBlockStart(100, new ToolUseBlock("toolu_for(functions.Read:0)", "client:Read")),
                new ContentBlockDelta(100, new InputJsonDelta("{\"file_path\":\"/a\"}")),
                new ContentBlockStop(100),
                new MessageDelta(StopReason.TOOL_USE, null, USAGE)), run(TextToolCallRecovery.kimiTokens(), READ, in));
    }

    @Test
    void maxTokensIsKeptAndACallCutOffIsClosedWithWhatWasRead() {
        var in = new ArrayList<StreamEvent>(textBlock(0, "<function=Read>\n<parameter=file_path>\n/a"));
        in.add(new MessageDelta(StopReason.MAX_TOKENS, null, USAGE));
        assertEquals(List.of(
                new ContentBlockStart(100, new ToolUseBlock("toolu_fresh0", "client:Read")),
                new ContentBlockDelta(100, new InputJsonDelta("{}")),
                new ContentBlockStop(100),
                new MessageDelta(StopReason.MAX_TOKENS, null, USAGE)), run(TextToolCallRecovery.qwenXml(), READ, in));
    }

    @Test
    void thinkingAndUsageSnapshotsPassUntouchedAndTheStopReasonStaysWithoutARecoveredCall() {
        var in = new ArrayList<StreamEvent>();
        in.add(new ContentBlockStart(0, new ThinkingBlock()));
        in.add(new ContentBlockDelta(0, new ThinkingDelta("<function=Read> is how I call")));
        in.add(new ContentBlockStop(0));
        in.add(new MessageDelta(null, null, USAGE));
        in.addAll(textBlock(1, "Plain answer."));
        in.add(new MessageDelta(StopReason.END_TURN, null, USAGE));
        assertEquals(List.of(in.get(0), in.get(1), in.get(2), in.get(3),
                new ContentBlockStart(100, new TextBlock()),
                new ContentBlockDelta(100, new TextDelta("Plain answer.")),
                new ContentBlockStop(100),
                new MessageDelta(StopReason.END_TURN, null, USAGE)), run(TextToolCallRecovery.qwenXml(), READ, in));
    }

    @Test
    void heldTextComesOutWhenTheStreamEndsWithoutAStop() {
        var in = List.<StreamEvent>of(new ContentBlockStart(0, new TextBlock()),
                new ContentBlockDelta(0, new TextDelta("Almost <tool_")));
        assertEquals(List.of(
                new ContentBlockStart(100, new TextBlock()),
                new ContentBlockDelta(100, new TextDelta("Almost")),
                new ContentBlockDelta(100, new TextDelta(" <tool_")),
                new ContentBlockStop(100)), run(TextToolCallRecovery.qwenXml(), READ, in));
    }

    @Test
    void qwenRecoveryStaysOutOfAnswersWithoutTools() {
        assertNull(TextToolCallRecovery.qwenXml().open(new FakeContext(Map.of())));
    }
}
