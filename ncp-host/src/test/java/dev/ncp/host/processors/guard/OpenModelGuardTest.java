package dev.ncp.host.processors.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.stream.StopReason;
import dev.ncp.api.stream.StreamContext;
import dev.ncp.api.stream.StreamEvent.ContentBlockDelta;
import dev.ncp.api.stream.StreamEvent.ContentBlockStart;
import dev.ncp.api.stream.StreamEvent.ContentBlockStop;
import dev.ncp.api.stream.StreamEvent.InputJsonDelta;
import dev.ncp.api.stream.StreamEvent.MessageDelta;
import dev.ncp.api.stream.StreamEvent.MessageStop;
import dev.ncp.api.stream.StreamEvent.TextBlock;
import dev.ncp.api.stream.StreamEvent.TextDelta;
import dev.ncp.api.stream.StreamEvent.ToolUseBlock;
import dev.ncp.api.stream.StreamEvent;
import dev.ncp.api.stream.Usage;
import dev.ncp.host.config.GuardSettings;
import dev.ncp.host.pump.ProcessorChain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The guard's links on canonical events: what reaches the next link, and what is reported. */
class OpenModelGuardTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Usage USAGE = new Usage(10, 5, 0, 0);
    private static final Map<String, Map<String, Object>> TOOLS = Map.of(
            "Read", Map.of("type", "object", "properties", Map.of("file_path", Map.of("type", "string"),
                    "offset", Map.of("type", "integer"))),
            "Bash", Map.of("type", "object", "properties", Map.of("command", Map.of("type", "string"))),
            "web_fetch", Map.of("type", "object", "properties", Map.of("url", Map.of("type", "string"))));

    private final List<GuardIntervention> reported = new ArrayList<>();

    @Test
    void wellFormedInputGoesOutInTheDeltasItCameIn() {
        var out = run(GuardSettings.defaults(), call("Read", "{\"file_path\":", " \"/a\"}"));
        assertEquals(List.of(start("Read"), delta("{\"file_path\":"), delta(" \"/a\"}"), new ContentBlockStop(0)),
                blockEvents(out));
        assertEquals(List.of(), reported);
    }

    @Test
    void repairedInputGoesOutAsOneDeltaOfTheNewJson() {
        var out = run(GuardSettings.defaults(), call("Read", "{\"file_path\": \"/a\",", " \"offset\": \"30\",}"));
        assertEquals(List.of(start("Read"), delta("{\"file_path\":\"/a\",\"offset\":30}"), new ContentBlockStop(0)),
                blockEvents(out));
        assertEquals(List.of(new GuardIntervention(GuardKind.ARGS_REPAIRED, "Read", "lenient syntax"),
                new GuardIntervention(GuardKind.ARGS_COERCED, "Read", "1 value typed by the schema")), reported);
    }

    @Test
    void unreadableInputReachesTheToolAsRawArgumentsNeverAsAnEmptyObject() {
        var out = run(GuardSettings.defaults(), call("Bash", "run ls ", "please"));
        assertEquals(List.of(start("Bash"), delta("{\"_raw_arguments\":\"run ls please\"}"), new ContentBlockStop(0)),
                blockEvents(out));
        assertEquals(GuardKind.ARGS_UNREPAIRABLE, reported.get(0).kind());
    }

    @Test
    void aToolBlockTheAnswerEndsInsideOfStillGetsItsInput() {
        var events = List.<StreamEvent>of(new ContentBlockStart(0, new ToolUseBlock("toolu_1", "Read")),
                new ContentBlockDelta(0, new InputJsonDelta("{\"file_path\": \"/a\"")),
                new StreamEvent.Error(dev.ncp.api.error.ErrorType.API, "cut off"));
        var out = run(GuardSettings.defaults(), events);
        assertEquals(List.of(start("Read"), delta("{\"file_path\":\"/a\"}"), new ContentBlockStop(0)),
                blockEvents(out));
        assertEquals(new StreamEvent.Error(dev.ncp.api.error.ErrorType.API, "cut off"), out.get(out.size() - 1));
    }

    @Test
    void aNearMissToolNameBecomesTheDeclaredTool() {
        var out = run(GuardSettings.defaults(), call("bash", "{\"command\": \"ls\"}"));
        assertEquals(start("Bash"), blockEvents(out).get(0));
        assertEquals(List.of(new GuardIntervention(GuardKind.NAME_FIXED, "Bash", "called as bash")), reported);
        assertEquals(start("web_fetch"), blockEvents(run(GuardSettings.defaults(), call("Web-Fetch", "{}"))).get(0));
    }

    @Test
    void aCallToAToolThatMatchesNoneIsPassedOnUnchanged() {
        var out = run(GuardSettings.defaults(), call("Deploy", "{\"env\": \"prod\"}"));
        assertEquals(List.of(start("Deploy"), delta("{\"env\": \"prod\"}"), new ContentBlockStop(0)),
                blockEvents(out));
        assertEquals(List.of(), reported);
    }

    @Test
    void aCallWrittenAsTextBecomesAToolUseAndTheAnswerStopsForIt() {
        var events = List.<StreamEvent>of(new ContentBlockStart(0, new TextBlock()),
                new ContentBlockDelta(0, new TextDelta("Reading.\n<tool_call>{\"name\": \"read\", \"argu")),
                new ContentBlockDelta(0, new TextDelta("ments\": {\"file_path\": \"/a\", \"offset\": \"5\"}}")),
                new ContentBlockDelta(0, new TextDelta("</tool_call>")),
                new ContentBlockStop(0), new MessageDelta(StopReason.END_TURN, null, USAGE), new MessageStop());
        var out = run(GuardSettings.defaults(), events);
        assertEquals(List.of(new ContentBlockStart(0, new TextBlock()),
                new ContentBlockDelta(0, new TextDelta("Reading.")), new ContentBlockStop(0),
                new ContentBlockStart(1, new ToolUseBlock("toolu_fresh", "Read")),
                new ContentBlockDelta(1, new InputJsonDelta("{\"file_path\":\"/a\",\"offset\":5}")),
                new ContentBlockStop(1)), blockEvents(out));
        assertEquals(new MessageDelta(StopReason.TOOL_USE, null, USAGE), out.get(out.size() - 2));
        assertEquals(List.of(GuardKind.TEXT_CALL, GuardKind.ARGS_COERCED),
                reported.stream().map(GuardIntervention::kind).toList());
    }

    @Test
    void eachRuleSwitchedOffLeavesItsDamageAlone() {
        var off = new GuardSettings(false, false, false, true);
        var out = run(off, call("bash", "{\"command\": \"ls\",}"));
        assertEquals(List.of(start("bash"), delta("{\"command\": \"ls\",}"), new ContentBlockStop(0)),
                blockEvents(out));
        var text = List.<StreamEvent>of(new ContentBlockStart(0, new TextBlock()),
                new ContentBlockDelta(0, new TextDelta("<tool_call>{\"name\": \"Bash\", \"arguments\": {}}"
                        + "</tool_call>")),
                new ContentBlockStop(0), new MessageDelta(StopReason.END_TURN, null, USAGE), new MessageStop());
        assertEquals(new ContentBlockDelta(0, new TextDelta("<tool_call>{\"name\": \"Bash\", \"arguments\": {}}"
                + "</tool_call>")), blockEvents(run(off, text)).get(1));
        assertEquals(List.of(), reported);
    }

    private List<StreamEvent> run(GuardSettings settings, List<StreamEvent> events) {
        var guard = new OpenModelGuard(settings, JSON);
        var links = new ArrayList<>(guard.processors(reported::add));
        links.add(new dev.ncp.host.processors.BlockFinalizer(dev.ncp.host.testing.AnswerHarness.SIGNER));
        var out = new ArrayList<StreamEvent>();
        var run = new ProcessorChain(links).open(new TestContext(), out::add);
        events.forEach(run::emit);
        run.complete();
        return out;
    }

    private static List<StreamEvent> call(String tool, String... pieces) {
        var events = new ArrayList<StreamEvent>();
        events.add(new ContentBlockStart(0, new ToolUseBlock("toolu_1", tool)));
        for (String piece : pieces) {
            events.add(new ContentBlockDelta(0, new InputJsonDelta(piece)));
        }
        events.add(new ContentBlockStop(0));
        events.add(new MessageDelta(StopReason.TOOL_USE, null, USAGE));
        events.add(new MessageStop());
        return events;
    }

    private static List<StreamEvent> blockEvents(List<StreamEvent> events) {
        return events.stream().filter(e -> e instanceof ContentBlockStart || e instanceof ContentBlockDelta
                || e instanceof ContentBlockStop).toList();
    }

    private static StreamEvent start(String tool) {
        return new ContentBlockStart(0, new ToolUseBlock("toolu_1", tool));
    }

    private static StreamEvent delta(String json) {
        return new ContentBlockDelta(0, new InputJsonDelta(json));
    }

    /** Keys from 100 on, so they cannot collide with the test's own; one fresh tool id. */
    private static final class TestContext implements StreamContext {
        private final ShapingContext request = new ShapingContext(ModelInfo.unknown("m/m"), "claude", null, TOOLS,
                List.of());
        private int nextKey = 100;

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
            return "toolu_fresh";
        }
    }
}
