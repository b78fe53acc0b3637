package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.InternalServerException;
import com.anthropic.errors.SseException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.MessageCountTokensParams;
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
                        "tool_use", null, new Usage(700, 20, 0, 0)),
                answer("content-filter.sse", OPUS, List.of(),
                        List.of(new Text("I can't help with that request.")),
                        "refusal", null, new Usage(310, 9, 0, 0)),
                // No usage from upstream: input is ncp's estimate (what count_tokens says for the same request),
                // output one token per four characters of "Usage was never reported here." (30).
                answer("no-usage-chunk.sse", OPUS, List.of(),
                        List.of(new Text("Usage was never reported here.")),
                        "end_turn", null, new Usage(COUNTED, (30 + 3) / 4, 0, 0)),
                answer("tool-call-without-id.sse", OPUS, List.of(),
                        List.of(new ToolUse(FRESH_ID, "Read", Wire.json("{\"file_path\": \"/repo/pom.xml\"}"))),
                        "tool_use", null, new Usage(1500, 22, 0, 0)));
    }

    /** In an expected usage: the input tokens count_tokens gives for the same request. */
    private static final long COUNTED = -1;
    /** In an expected tool_use: an id ncp minted (the upstream sent none), so any toolu_ id, different per answer. */
    private static final String FRESH_ID = "<fresh toolu_ id>";

    @Test
    void everyRecordedUpstreamStreamHasAnExpectation() {
        var covered = new java.util.ArrayList<>(fixtures().map(Case::fixture).toList());
        covered.add("qwen3-coder-xml-tool-call-in-text.sse"); // qwenXmlToolCallInTextCompletesInBothModes
        covered.add("truncated-no-done.sse"); // aStreamCutOffMidAnswer...
        covered.add("error-chunk-mid-stream.sse"); // anInStreamErrorChunk...
        assertEquals(Fixtures.UPSTREAM_STREAMS.stream().sorted().toList(), covered.stream().sorted().toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void streamedAndWholeAnswersRebuildTheExpectedMessage(Case c) {
        h.upstream().enqueue(Script.fixture(c.fixture())).enqueue(Script.fixture(c.fixture()));
        SdkAnswer whole = SdkAnswer.of(h.client().messages().create(params(c.model(), c.stopSequences())
                .build()));
        SdkAnswer streamed = streamed(c.model(), c.stopSequences());

        SdkAnswer expected = c.expected().usage().input() != COUNTED ? c.expected() : withInput(c.expected(),
                h.client().messages().countTokens(MessageCountTokensParams.builder().model(c.model())
                        .addUserMessage("Hi").build()).inputTokens());
        assertEquals(expected, freshIdsMasked(whole.comparable(), expected), "not streamed");
        assertEquals(expected, freshIdsMasked(streamed.comparable(), expected), "streamed");
        // Same blocks byte for byte, signatures and tool ids included: one translation path for both modes.
        assertEquals(freshIdsMasked(whole, expected).content(), freshIdsMasked(streamed, expected).content());
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

    private static SdkAnswer withInput(SdkAnswer a, long input) {
        Usage u = a.usage();
        return new SdkAnswer(a.id(), a.model(), a.content(), a.stopReason(), a.stopSequence(),
                new Usage(input, u.output(), u.cacheRead(), u.cacheCreation()));
    }

    /** {@code actual} with the ids of tool_use blocks that {@code expected} marks {@link #FRESH_ID} masked. */
    private static SdkAnswer freshIdsMasked(SdkAnswer actual, SdkAnswer expected) {
        var blocks = new java.util.ArrayList<Block>();
        for (int i = 0; i < actual.content().size(); i++) {
            Block b = actual.content().get(i);
            boolean fresh = i < expected.content().size() && expected.content().get(i) instanceof ToolUse e
                    && e.id().equals(FRESH_ID);
            if (fresh && b instanceof ToolUse t) {
                assertTrue(t.id().matches("toolu_[0-9A-Za-z]{20,}"), "a minted tool id: " + t.id());
                blocks.add(new ToolUse(FRESH_ID, t.name(), t.input()));
            } else {
                blocks.add(b);
            }
        }
        return new SdkAnswer(actual.id(), actual.model(), List.copyOf(blocks), actual.stopReason(),
                actual.stopSequence(), actual.usage());
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
    void aStreamCutOffMidAnswerEveryTimeIsAnApiErrorWhenNotStreamed() {
        h.upstream().fallback(Script.fixture("truncated-no-done.sse")); // a whole answer's retries are cut off too
        InternalServerException e = assertThrows(InternalServerException.class,
                () -> h.client().messages().create(params(OPUS, List.of()).build()));
        assertEquals(500, e.statusCode());
        JsonNode error = SdkAnswer.inputOf(e.body());
        assertEquals("api_error", error.path("error").path("type").asText(), error.toString());
        assertTrue(error.path("error").path("message").asText().contains("before finishing"), error.toString());
        assertTrue(e.headers().values("request-id").size() == 1, "request-id header");
    }

    @Test
    void anInStreamErrorChunkEndsTheStreamInAnErrorEventWithTheUpstreamsReason() {
        h.upstream().enqueue(Script.fixture("error-chunk-mid-stream.sse"));
        var text = new StringBuilder();
        SseException e = assertThrows(SseException.class, () -> {
            try (var stream = h.client().messages().createStreaming(params(OPUS, List.of()).build())) {
                stream.stream().forEach(event -> {
                    event.contentBlockDelta().flatMap(d -> d.delta().text()).ifPresent(t -> text.append(t.text()));
                    if (event.isMessageStop() || event.isMessageDelta()) {
                        throw new AssertionError("a failed answer must not end normally: " + event);
                    }
                });
            }
        });
        assertEquals("Starting the ana", text.toString());
        JsonNode error = SdkAnswer.inputOf(e.body());
        assertEquals(Wire.json("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"The upstream failed"
                + " (HTTP 500: Internal server error: the engine stopped while generating.).\"}}"), withoutRequestId(error));
    }

    @Test
    void anInStreamErrorChunkEveryTimeIsAnApiErrorWhenNotStreamed() {
        h.upstream().fallback(Script.fixture("error-chunk-mid-stream.sse")); // and so are its retries
        InternalServerException e = assertThrows(InternalServerException.class,
                () -> h.client().messages().create(params(OPUS, List.of()).build()));
        assertEquals(500, e.statusCode());
        JsonNode error = SdkAnswer.inputOf(e.body());
        assertEquals(Wire.json("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"The upstream failed"
                + " (HTTP 500: Internal server error: the engine stopped while generating.).\"}}"), withoutRequestId(error));
        assertEquals(1, e.headers().values("request-id").size(), "request-id header");
    }

    /** The error body without its {@code request_id} field (a fresh value per request), if it has one. */
    private static JsonNode withoutRequestId(JsonNode error) {
        var copy = error.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove("request_id");
        return copy;
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
