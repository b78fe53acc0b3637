package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.InternalServerException;
import com.anthropic.errors.SseException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.e2e.SdkAnswer.Block;
import dev.ncp.host.e2e.SdkAnswer.Text;
import dev.ncp.host.e2e.SdkAnswer.Thinking;
import dev.ncp.host.e2e.SdkAnswer.ToolUse;
import dev.ncp.host.e2e.SdkAnswer.Usage;
import dev.ncp.host.testing.Fixtures;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.translate.ToolIdCodec;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every recorded upstream stream, through a real ncp, read by the official Anthropic Java SDK twice: streamed and
 * accumulated by {@code MessageAccumulator}, and not streamed via {@code messages().create}. Both must rebuild
 * exactly the message {@code fixtures/upstream/INDEX.md} describes, and the same one.
 */
class UpstreamFixturesThroughSdkTest {

    static final String OPUS = "claude-opus-5-5";
    /** A reasoning model, so that inline {@code <think>} tags are parsed. */
    static final String REASONING = "claude-deepseek-v4";
    private static final ToolIdCodec TOOL_IDS = new ToolIdCodec();

    private ProxyHarness h;

    @BeforeEach
    void start() {
        h = ProxyHarness.start();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    record Case(String fixture, String model, List<String> stopSequences, SdkAnswer expected) {
        @Override
        public String toString() {
            return fixture;
        }
    }

    static Stream<Case> fixtures() {
        return Stream.of(
                answer("text-stop-usage-last.sse", OPUS, List.of(),
                        List.of(new Text("Hello! I can help with that. Here is a short answer with unicode: "
                                + "na\u00efve caf\u00e9 \u2014 \u2713 \u65e5\u672c\u8a9e.")),
                        "end_turn", null, new Usage(1234 - 1024, 31, 1024, 0)),
                answer("text-then-tool-call.sse", OPUS, List.of(),
                        List.of(new Text("Let me check."), tool("chatcmpl-tool-9f2c", "Bash",
                                "{\"command\": \"ls -la /tmp && echo \\\"done\\\"\", \"description\": \"List files\"}")),
                        "tool_use", null, new Usage(5210, 48, 0, 0)),
                answer("parallel-tool-calls-interleaved.sse", OPUS, List.of(),
                        List.of(tool("call_r0", "Read", "{\"file_path\": \"/repo/src/Main.java\"}"),
                                tool("call_g1", "Grep", "{\"pattern\": \"TODO\", \"path\": \"/repo\"}")),
                        "tool_use", null, new Usage(8000, 60, 0, 0)),
                answer("tool-call-finish-stop.sse", OPUS, List.of(),
                        List.of(tool("chatcmpl-tool-11", "TodoWrite", "{\"todos\": [{\"content\": \"Write tests\","
                                + " \"status\": \"pending\", \"activeForm\": \"Writing tests\"}]}")),
                        "tool_use", null, new Usage(3000, 40, 0, 0)),
                answer("reasoning-content-then-text.sse", OPUS, List.of(),
                        List.of(new Thinking("The user asks for 17*23. 17*20=340, 17*3=51, total 391.",
                                SdkAnswer.SIGNED), new Text("The answer is 391.")),
                        "end_turn", null, new Usage(40, 70, 0, 0)),
                answer("think-tags-in-content.sse", REASONING, List.of(),
                        List.of(new Thinking("The user wants a haiku about Java. Count syllables.\n",
                                        SdkAnswer.SIGNED),
                                new Text("Virtual threads hum\nrecords sealed, patterns matched\nthe heap breathes again")),
                        "end_turn", null, new Usage(60, 55, 0, 0)),
                answer("finish-length.sse", OPUS, List.of(),
                        List.of(new Text("This answer is cut off because it ran out of")),
                        "max_tokens", null, new Usage(100, 16, 0, 0)),
                answer("stop-sequence-matched.sse", OPUS, List.of("###"),
                        List.of(new Text("Step 1 done.")), "stop_sequence", "###", new Usage(20, 4, 0, 0)),
                answer("kimi-tool-call-id.sse", OPUS, List.of(),
                        List.of(new Text("Reading it now."),
                                tool("functions.Read:0", "Read", "{\"file_path\": \"/repo/README.md\"}")),
                        "tool_use", null, new Usage(700, 20, 0, 0)));
    }

    @Test
    void everyRecordedUpstreamStreamHasAnExpectation() {
        var covered = new java.util.ArrayList<>(fixtures().map(Case::fixture).toList());
        covered.add("qwen3-coder-xml-tool-call-in-text.sse"); // qwenXmlToolCallInTextCompletesInBothModes
        covered.add("truncated-no-done.sse"); // aStreamCutOffMidAnswer...
        assertEquals(Fixtures.UPSTREAM_STREAMS.stream().sorted().toList(), covered.stream().sorted().toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void streamedAndWholeAnswersRebuildTheExpectedMessage(Case c) {
        h.upstream().enqueue(Script.fixture(c.fixture())).enqueue(Script.fixture(c.fixture()));
        SdkAnswer whole = SdkAnswer.of(h.client().messages().create(params(c.model(), c.stopSequences())
                .build()));
        SdkAnswer streamed = streamed(c.model(), c.stopSequences());

        assertEquals(c.expected(), whole.comparable(), "not streamed");
        assertEquals(c.expected(), streamed.comparable(), "streamed");
        // Same blocks byte for byte, signatures and tool ids included: one translation path for both modes.
        assertEquals(whole.content(), streamed.content());
        for (Block b : whole.content()) {
            if (b instanceof ToolUse t) {
                assertTrue(t.id().matches("toolu_[0-9A-Za-z]+"), t.id());
            }
        }
        assertEquals(2, h.upstream().requests().size());
        for (var request : h.upstream().requests()) {
            assertEquals("/v1/chat/completions", request.path());
            assertTrue(request.json().path("stream").asBoolean(), "upstream is always streamed");
        }
    }

    private SdkAnswer streamed(String model, List<String> stops) {
        try (StreamResponse<RawMessageStreamEvent> stream =
                     h.client().messages().createStreaming(params(model, stops).build())) {
            var accumulator = MessageAccumulator.create();
            stream.stream().forEach(accumulator::accumulate);
            return SdkAnswer.of(accumulator.message());
        }
    }

    private MessageCreateParams.Builder params(String model, List<String> stops) {
        return MessageCreateParams.builder().model(model).maxTokens(1024).addUserMessage("Hi").stopSequences(stops);
    }

    @Test
    void qwenXmlToolCallInTextCompletesInBothModes() {
        // Turning the XML into tool_use is the Qwen plugin's job; without it the answer must still complete.
        h.upstream().enqueue(Script.fixture("qwen3-coder-xml-tool-call-in-text.sse"))
                .enqueue(Script.fixture("qwen3-coder-xml-tool-call-in-text.sse"));
        SdkAnswer whole = SdkAnswer.of(h.client().messages().create(params(OPUS, List.of()).build()));
        SdkAnswer streamed = streamed(OPUS, List.of());
        assertNotNull(whole.stopReason());
        assertEquals(new Usage(900, 50, 0, 0), whole.usage());
        assertEquals(whole.comparable(), streamed.comparable());
    }

    @Test
    void aStreamCutOffMidAnswerEndsInAnErrorEventAfterThePartialText() {
        h.upstream().enqueue(Script.fixture("truncated-no-done.sse"));
        var text = new StringBuilder();
        var events = new java.util.ArrayList<String>();
        SseException e = assertThrows(SseException.class, () -> {
            try (var stream = h.client().messages().createStreaming(params(OPUS, List.of()).build())) {
                stream.stream().forEach(event -> {
                    events.add(event.isContentBlockDelta() ? "delta" : String.valueOf(event._json()));
                    event.contentBlockDelta().flatMap(d -> d.delta().text()).ifPresent(t -> text.append(t.text()));
                    if (event.isMessageStop() || event.isMessageDelta()) {
                        throw new AssertionError("a cut-off answer must not end normally: " + events);
                    }
                });
            }
        });
        assertEquals("Partial ans", text.toString());
        JsonNode error = SdkAnswer.inputOf(e.body());
        assertEquals("error", error.path("type").asText(), error.toString());
        assertEquals("api_error", error.path("error").path("type").asText(), error.toString());
        assertTrue(error.path("error").path("message").asText().contains("before finishing"), error.toString());
    }

    @Test
    void aStreamCutOffMidAnswerIsAnApiErrorWhenNotStreamed() {
        h.upstream().enqueue(Script.fixture("truncated-no-done.sse"));
        InternalServerException e = assertThrows(InternalServerException.class,
                () -> h.client().messages().create(params(OPUS, List.of()).build()));
        assertEquals(500, e.statusCode());
        JsonNode error = SdkAnswer.inputOf(e.body());
        assertEquals("api_error", error.path("error").path("type").asText(), error.toString());
        assertTrue(error.path("error").path("message").asText().contains("before finishing"), error.toString());
        assertTrue(e.headers().values("request-id").size() == 1, "request-id header");
    }

    private static Case answer(String fixture, String model, List<String> stops, List<Block> content,
                               String stopReason, String stopSequence, Usage usage) {
        return new Case(fixture, model, stops,
                new SdkAnswer("msg_", model, content, stopReason, stopSequence, usage));
    }

    private static ToolUse tool(String upstreamId, String name, String input) {
        return new ToolUse(TOOL_IDS.toClient(upstreamId), name, Wire.json(input));
    }
}
