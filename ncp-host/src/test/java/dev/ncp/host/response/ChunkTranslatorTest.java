package dev.ncp.host.response;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.api.error.ErrorType;
import dev.ncp.api.stream.StopReason;
import dev.ncp.api.stream.StreamEvent.ContentBlockDelta;
import dev.ncp.api.stream.StreamEvent.ContentBlockStart;
import dev.ncp.api.stream.StreamEvent.ContentBlockStop;
import dev.ncp.api.stream.StreamEvent.InputJsonDelta;
import dev.ncp.api.stream.StreamEvent.MessageDelta;
import dev.ncp.api.stream.StreamEvent.MessageStart;
import dev.ncp.api.stream.StreamEvent.MessageStop;
import dev.ncp.api.stream.StreamEvent.ToolUseBlock;
import dev.ncp.api.stream.StreamEvent;
import dev.ncp.api.stream.Usage;
import dev.ncp.host.pump.AnswerPipeline;
import dev.ncp.host.pump.PumpSettings;
import dev.ncp.host.testing.AnswerHarness;
import dev.ncp.host.testing.EventRecorder;
import dev.ncp.host.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkTranslatorTest {

    private final EventRecorder recorder = new EventRecorder();
    private final AnswerPipeline pipeline =
            AnswerHarness.pump(PumpSettings.defaults()).pipeline(AnswerHarness.withChain(AnswerHarness.plainSpec(),
                    AnswerHarness.chain(false)), recorder);

    private void send(String... chunkJson) {
        for (String json : chunkJson) {
            byte[] bytes = ("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
            pipeline.feed(bytes, 0, bytes.length);
        }
    }

    private static String tool(int index, String id, String name, String args) {
        String fn = (name == null ? "" : "\"name\":\"" + name + "\",") + "\"arguments\":" + quote(args);
        return "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":" + index
                + (id == null ? "" : ",\"id\":\"" + id + "\"") + ",\"function\":{" + fn + "}}]}}]}";
    }

    private static String text(String text) {
        return "{\"choices\":[{\"index\":0,\"delta\":{\"content\":" + quote(text) + "}}]}";
    }

    private static String finish(String reason) {
        return "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"" + reason + "\"}]}";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static ContentBlockDelta json(int index, String partial) {
        return new ContentBlockDelta(index, new InputJsonDelta(partial));
    }

    private static ContentBlockStart toolStart(int index, String upstreamId, String name) {
        return new ContentBlockStart(index, new ToolUseBlock(AnswerHarness.TOOL_IDS.toClient(upstreamId), name));
    }

    private MessageDelta finalDelta() {
        return (MessageDelta) recorder.events().stream().filter(e -> e instanceof MessageDelta).findFirst().orElseThrow();
    }

    @Test
    void sequentialParallelCallsAreEachStreamedLive() {
        send(tool(0, "a", "Read", ""), tool(0, null, null, "{\"p\":"), tool(0, null, null, "1}"));
        send(tool(1, "b", "Grep", "{\"q\":"));
        // The second call streams as soon as the first call's JSON is complete: no waiting for finish_reason.
        assertEquals(List.of(toolStart(0, "a", "Read"), json(0, "{\"p\":"), json(0, "1}"), new ContentBlockStop(0),
                toolStart(1, "b", "Grep"), json(1, "{\"q\":")), recorder.drain());
        send(tool(1, null, null, "2}"), finish("tool_calls"));
        pipeline.endOfInput();
        // No upstream usage: the input estimate, and 14 characters of arguments at ~4 a token.
        assertEquals(List.of(json(1, "2}"), new ContentBlockStop(1),
                new MessageDelta(StopReason.TOOL_USE, null, new Usage(1000, 4, 0, 0)), new MessageStop()),
                recorder.drain());
    }

    @Test
    void interleavedCallsYieldContiguousBlocksTheSecondFlushedWhenTheFirstCompletes() {
        AnswerPipeline p = pipeline;
        byte[] body = Fixtures.upstream("parallel-tool-calls-interleaved.sse");
        p.start();
        p.feed(body, 0, body.length);
        p.endOfInput();
        List<StreamEvent> events = recorder.events();
        assertEquals(List.of(new MessageStart(AnswerHarness.MESSAGE_ID, AnswerHarness.CLIENT_MODEL,
                        new Usage(1000, 0, 0, 0)),
                toolStart(0, "call_r0", "Read"),
                json(0, "{\"file"), json(0, "_path\""), json(0, ": \"/re"), json(0, "po/src"), json(0, "/Main."),
                json(0, "java\"}"), new ContentBlockStop(0),
                toolStart(1, "call_g1", "Grep"),
                json(1, "{\"patt" + "ern\": " + "\"TODO\"" + ", \"pat" + "h\": \"/"), json(1, "repo\"}"),
                new ContentBlockStop(1),
                new MessageDelta(StopReason.TOOL_USE, null, new Usage(8000, 60, 0, 0)), new MessageStop()), events);
    }

    @Test
    void aCallWithEmptyArgumentsGetsAnEmptyObject() {
        send(tool(0, "a", "ListTools", ""), finish("tool_calls"));
        pipeline.endOfInput();
        assertTrue(recorder.events().contains(json(0, "{}")), recorder.events().toString());
    }

    @Test
    void aCallWithoutAnIdGetsAFreshToolUseId() {
        send(tool(0, null, "Read", "{}"), finish("tool_calls"));
        pipeline.endOfInput();
        var start = (ContentBlockStart) recorder.events().get(0);
        String id = ((ToolUseBlock) start.block()).id();
        assertTrue(id.matches("toolu_01[0-9A-Za-z]{22}"), id);
    }

    @Test
    void whitespaceTextAfterAToolCallMakesNoBlock() {
        send(tool(0, "a", "Read", "{}"), text("\n\n"), finish("tool_calls"));
        pipeline.endOfInput();
        assertEquals(1, recorder.events().stream().filter(e -> e instanceof ContentBlockStart).count());
    }

    @Test
    void moreArgumentsForACallClosedByTextEndTheAnswerWithAnError() {
        send(tool(0, "a", "Read", "{\"a\":"), text("oops"));
        try {
            send(tool(0, null, null, "1}"));
        } catch (dev.ncp.host.response.UpstreamDecodeException expected) {
            assertTrue(expected.getMessage().contains("after its JSON was complete"));
            return;
        }
        throw new AssertionError("late arguments were accepted");
    }

    @Test
    void finishToolCallsWithoutAnyCallIsAnEndTurn() {
        send(text("hi"), finish("tool_calls"));
        pipeline.endOfInput();
        assertEquals(StopReason.END_TURN, finalDelta().stopReason());
    }

    @Test
    void contentFilterIsARefusal() {
        send(text("I can"), finish("content_filter"));
        pipeline.endOfInput();
        assertEquals(StopReason.REFUSAL, finalDelta().stopReason());
    }

    @Test
    void lengthWinsOverToolCallsBecauseTheirJsonIsProbablyCut() {
        send(tool(0, "a", "Write", "{\"content\": \"abc"), finish("length"));
        pipeline.endOfInput();
        assertEquals(StopReason.MAX_TOKENS, finalDelta().stopReason());
    }

    @Test
    void doneWithoutFinishReasonIsANormalEnd() {
        send(text("hi"));
        byte[] done = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
        pipeline.feed(done, 0, done.length);
        assertEquals(StopReason.END_TURN, finalDelta().stopReason());
        assertInstanceOf(MessageStop.class, recorder.events().get(recorder.events().size() - 1));
    }

    @Test
    void withoutUpstreamUsageTheEstimateIsReported() {
        send(text("12345678"), finish("stop"));
        pipeline.endOfInput();
        assertEquals(new Usage(1000, 2, 0, 0), finalDelta().usage());
    }

    @Test
    void anErrorInsideTheStreamEndsTheAnswerWithTheMappedError() {
        send(text("partial"), "{\"error\":{\"message\":\"Worker crashed None\",\"type\":\"InternalServerError\",\"code\":503}}");
        List<StreamEvent> events = recorder.events();
        assertEquals(new ContentBlockStop(0), events.get(events.size() - 2));
        var error = (StreamEvent.Error) events.get(events.size() - 1);
        assertEquals(ErrorType.OVERLOADED, error.type());
        assertTrue(error.message().contains("Worker crashed") && !error.message().contains("None"), error.message());
    }

    @Test
    void nothingAfterFinishReasonBelongsToTheAnswerButUsageDoes() {
        send(text("a"), finish("stop"), text("b"),
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2}}");
        pipeline.endOfInput();
        assertEquals(List.of(new ContentBlockStart(0, new StreamEvent.TextBlock()),
                new ContentBlockDelta(0, new StreamEvent.TextDelta("a")), new ContentBlockStop(0),
                new MessageDelta(StopReason.END_TURN, null, new Usage(10, 2, 0, 0)), new MessageStop()),
                recorder.events());
    }
}
