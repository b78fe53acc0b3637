package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SSE stream as bytes on the wire, read with a plain HTTP client: headers, Anthropic's event grammar, the
 * input_json_delta pieces of a tool call, the timing promises — message_start before the upstream answers,
 * pings through silences — and the two stream-shaping settings, R2_TEXT_DELTA_CHARS and
 * R2_MESSAGE_DELTA_EVERY_BLOCK, with the SDK still rebuilding the message.
 */
class SseWireTest {

    static final String STREAMED_HI = """
            {"model":"claude-opus-5-5","max_tokens":1024,"stream":true,
             "messages":[{"role":"user","content":"Write something in one sentence, please."}]}""";

    @Test
    void aTextAnswerFollowsAnthropicsGrammarWithHeadersIdsAndRealInputTokens() {
        try (var h = ProxyHarness.start()) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse").chunked(37, Duration.ZERO));
            Wire.Reply reply = Wire.post(h, "/v1/messages", STREAMED_HI);

            assertStreamHeaders(reply);
            SseEvents sse = SseEvents.parse(reply.body());
            assertEquals(Map.of(), sse.assertGrammar());
            assertMessageStart(sse);
            assertEquals(List.of("message_start", "content_block_start"), sse.names().subList(0, 2));
            assertEquals("text", sse.events().get(1).data().path("content_block").path("type").asText());
            var text = new StringBuilder();
            sse.content().stream().filter(e -> e.event().equals("content_block_delta"))
                    .forEach(e -> text.append(e.data().path("delta").path("text").asText()));
            assertEquals("Hello! I can help with that. Here is a short answer with unicode: "
                    + "na\u00efve caf\u00e9 \u2014 \u2713 \u65e5\u672c\u8a9e.", text.toString());
            JsonNode delta = sse.first("message_delta").data();
            assertEquals("end_turn", delta.path("delta").path("stop_reason").asText());
            assertEquals(31, delta.path("usage").path("output_tokens").asInt());
            assertEquals(1024, delta.path("usage").path("cache_read_input_tokens").asInt(), delta.toString());
        }
    }

    @Test
    void aToolCallStreamsInputJsonDeltasThatAddUpToExactlyItsInput() {
        try (var h = ProxyHarness.start()) {
            h.upstream().enqueue(Script.fixture("text-then-tool-call.sse"));
            Wire.Reply reply = Wire.post(h, "/v1/messages", STREAMED_HI);

            assertStreamHeaders(reply);
            SseEvents sse = SseEvents.parse(reply.body());
            Map<Integer, String> json = sse.assertGrammar();
            assertMessageStart(sse);
            assertEquals(Map.of(1, json.get(1)), json, "one tool_use block, at index 1");
            assertEquals(Wire.json("{\"command\": \"ls -la /tmp && echo \\\"done\\\"\", \"description\": \"List files\"}"),
                    Wire.json(json.get(1)));
            JsonNode start = sse.content().stream().filter(e -> e.event().equals("content_block_start"))
                    .filter(e -> e.data().path("index").asInt() == 1).findFirst().orElseThrow().data();
            JsonNode block = start.path("content_block");
            assertEquals("tool_use", block.path("type").asText());
            assertEquals("Bash", block.path("name").asText());
            assertTrue(block.path("id").asText().matches("toolu_[0-9A-Za-z]+"), block.toString());
            assertEquals(Wire.json("{}"), block.path("input"), "input arrives as deltas");
            assertTrue(sse.content().stream().filter(e -> e.event().equals("content_block_delta"))
                    .filter(e -> e.data().path("index").asInt() == 1).count() > 1, "arguments stream in pieces");
            assertEquals("tool_use", sse.first("message_delta").data().path("delta").path("stop_reason").asText());
        }
    }

    @Test
    void messageStartGoesOutBeforeTheUpstreamAnswers() throws Exception {
        try (var h = ProxyHarness.start()) {
            // One answer first, so the measurement is of ncp at work, not of a cold JVM loading classes.
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"))
                    .enqueue(Script.fixture("text-stop-usage-last.sse").delayHeaders(Duration.ofSeconds(2)));
            assertEquals(200, Wire.post(h, "/v1/messages", STREAMED_HI).status());
            long sent = System.nanoTime();
            HttpResponse<InputStream> response = Wire.HTTP.send(Wire.request(h, "POST", "/v1/messages",
                    Map.of("content-type", "application/json"), STREAMED_HI.getBytes(StandardCharsets.UTF_8)),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (var in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String firstLine = in.readLine();
                Duration firstBytes = Duration.ofNanos(System.nanoTime() - sent);
                assertEquals("event: message_start", firstLine);
                assertTrue(firstBytes.compareTo(Duration.ofSeconds(1)) < 0, "message_start after " + firstBytes);

                String rest = readAll(in);
                Duration whole = Duration.ofNanos(System.nanoTime() - sent);
                assertTrue(whole.compareTo(Duration.ofSeconds(2)) >= 0, "the upstream was slow: " + whole);
                SseEvents sse = SseEvents.parse(firstLine + "\n" + rest);
                sse.assertGrammar();
                assertEquals("end_turn", sse.first("message_delta").data().path("delta").path("stop_reason").asText());
            }
        }
    }

    /** The text pieces of text-stop-usage-last.sse, as the upstream sends them (7 characters or so each). */
    private static final List<String> UPSTREAM_TEXT = List.of("Hello! ", "I can h", "elp wit", "h that.", " Here i",
            "s a sho", "rt answ", "er with", " unicod", "e: na\u00efv", "e caf\u00e9 ", "\u2014 \u2713 \u65e5\u672c\u8a9e", ".");

    @Test
    void textDeltaCharsMergesTheUpstreamsSmallDeltasIntoFramesOfAtMostThatSize() {
        try (var h = ProxyHarness.start(Map.of("R2_TEXT_DELTA_CHARS", "32"))) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"))
                    .enqueue(Script.fixture("text-stop-usage-last.sse"));
            Wire.Reply reply = Wire.post(h, "/v1/messages", STREAMED_HI);

            assertStreamHeaders(reply);
            SseEvents sse = SseEvents.parse(reply.body());
            sse.assertGrammar();
            List<String> frames = sse.content().stream().filter(e -> e.event().equals("content_block_delta"))
                    .map(e -> e.data().path("delta").path("text").asText()).toList();
            assertEquals(String.join("", UPSTREAM_TEXT), String.join("", frames));
            // Merging joins whole upstream deltas (never splits one) while a frame stays within 32 characters; what
            // is joined depends on what arrived together, so the exact cut is not pinned, its rules are.
            int piece = 0;
            for (String frame : frames) {
                assertTrue(frame.length() <= 32, "frame longer than R2_TEXT_DELTA_CHARS: " + frame);
                var joined = new StringBuilder();
                while (joined.length() < frame.length()) {
                    joined.append(UPSTREAM_TEXT.get(piece++));
                }
                assertEquals(frame, joined.toString(), "a frame is whole upstream deltas joined: " + frames);
            }
            assertTrue(frames.size() < UPSTREAM_TEXT.size(), "deltas were merged: " + frames);

            var params = com.anthropic.models.messages.MessageCreateParams.builder().model("claude-opus-5-5")
                    .maxTokens(1024).addUserMessage("Hi").build();
            try (var stream = h.client().messages().createStreaming(params)) {
                var accumulator = com.anthropic.helpers.MessageAccumulator.create();
                stream.stream().forEach(accumulator::accumulate);
                var message = accumulator.message();
                assertEquals(1, message.content().size());
                assertEquals(String.join("", UPSTREAM_TEXT), message.content().get(0).asText().text());
                assertEquals("end_turn", message.stopReason().orElseThrow().asString());
                assertEquals(31, message.usage().outputTokens());
            }
        }
    }

    @Test
    void messageDeltaEveryBlockSendsProgressUsageAfterEachBlockAndTheSdkKeepsTheFinalOne() {
        try (var h = ProxyHarness.start(Map.of("R2_MESSAGE_DELTA_EVERY_BLOCK", "true"))) {
            h.upstream().enqueue(Script.fixture("text-then-tool-call.sse"))
                    .enqueue(Script.fixture("text-then-tool-call.sse"));
            Wire.Reply reply = Wire.post(h, "/v1/messages", STREAMED_HI);

            assertStreamHeaders(reply);
            SseEvents sse = SseEvents.parse(reply.body());
            Map<Integer, String> json = sse.assertGrammarWithUsageSnapshots();
            assertEquals(List.of("message_start", "content_block_start", "content_block_delta", "content_block_stop",
                    "message_delta", "content_block_start"), sse.names().subList(0, 6));
            List<JsonNode> deltas = sse.content().stream().filter(e -> e.event().equals("message_delta"))
                    .map(SseEvents.Event::data).toList();
            assertEquals(3, deltas.size(), "one progress delta per block (text, tool_use), then the final one");
            int estimatedInput = sse.events().get(0).data().path("message").path("usage").path("input_tokens").asInt();
            // Progress: output estimated at four characters a token over what was streamed so far.
            int textChars = "Let me check.".length();
            int toolChars = json.get(1).length();
            assertEquals((textChars + 3) / 4, deltas.get(0).path("usage").path("output_tokens").asInt());
            assertEquals((textChars + toolChars + 3) / 4, deltas.get(1).path("usage").path("output_tokens").asInt());
            for (JsonNode progress : deltas.subList(0, 2)) {
                assertTrue(progress.path("delta").path("stop_reason").isNull(), progress.toString());
                assertEquals(estimatedInput, progress.path("usage").path("input_tokens").asInt(), progress.toString());
            }
            JsonNode last = deltas.get(2);
            assertEquals("tool_use", last.path("delta").path("stop_reason").asText());

            var params = com.anthropic.models.messages.MessageCreateParams.builder().model("claude-opus-5-5")
                    .maxTokens(1024).addUserMessage("Hi").build();
            try (var stream = h.client().messages().createStreaming(params)) {
                var accumulator = com.anthropic.helpers.MessageAccumulator.create();
                stream.stream().forEach(accumulator::accumulate);
                var message = accumulator.message();
                assertEquals("Let me check.", message.content().get(0).asText().text());
                var tool = message.content().get(1).asToolUse();
                assertEquals("Bash", tool.name());
                assertEquals(Wire.json("{\"command\": \"ls -la /tmp && echo \\\"done\\\"\", \"description\": \"List files\"}"),
                        SdkAnswer.inputOf(tool._input()));
                assertEquals("tool_use", message.stopReason().orElseThrow().asString(), "the last stop_reason wins");
                assertEquals(last.path("usage").path("output_tokens").asInt(), message.usage().outputTokens(),
                        "the final usage wins over the progress snapshots");
                assertEquals(last.path("usage").path("input_tokens").asInt(), message.usage().inputTokens());
            }
        }
    }

    @Test
    void pingsKeepASilentUpstreamPhaseAlive() {
        try (var h = ProxyHarness.start(Map.of("R2_PING_INTERVAL", "1"))) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse").delayHeaders(Duration.ofMillis(2500)));
            Wire.Reply reply = Wire.post(h, "/v1/messages", STREAMED_HI);

            SseEvents sse = SseEvents.parse(reply.body());
            sse.assertGrammar();
            List<String> names = sse.names();
            int firstDelta = names.indexOf("content_block_delta");
            long pings = names.subList(0, firstDelta).stream().filter("ping"::equals).count();
            assertTrue(pings >= 1, "pings before the first delta: " + names);
            assertEquals("message_start", names.get(0), "pings follow message_start: " + names);
            sse.events().stream().filter(e -> e.event().equals("ping"))
                    .forEach(p -> assertEquals(Wire.json("{\"type\":\"ping\"}"), p.data()));
        }
    }

    @Test
    void keepAliveCommentsFillUpstreamSilencesAndTheSdkIgnoresThem() {
        try (var h = ProxyHarness.start()) {
            // Three pieces, 1.2 s apart: silences of more than two keep-alive intervals, far less than a ping's.
            Script slow = Script.fixture("text-stop-usage-last.sse").chunked(1200, Duration.ofMillis(1200));
            h.upstream().enqueue(slow).enqueue(slow);
            Wire.Reply reply = Wire.post(h, "/v1/messages", STREAMED_HI);
            assertTrue(reply.text().contains("\n\n: keep-alive\n\n"), reply.text());
            assertTrue(!reply.text().contains("event: ping"), "pings keep their own interval");
            SseEvents.parse(reply.body()).assertGrammar();

            var params = com.anthropic.models.messages.MessageCreateParams.builder().model("claude-opus-5-5")
                    .maxTokens(1024).addUserMessage("Hi").build();
            try (var stream = h.client().messages().createStreaming(params)) {
                var accumulator = com.anthropic.helpers.MessageAccumulator.create();
                stream.stream().forEach(accumulator::accumulate);
                assertEquals(ResilienceTest.ANSWER,
                        accumulator.message().content().get(0).asText().text());
            }
        }
    }

    @Test
    void theResponseEchoesTheRequestedModelAndTheHeaderNamesTheUpstreamModel() {
        try (var h = ProxyHarness.start()) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"))
                    .enqueue(Script.fixture("text-stop-usage-last.sse"));
            var raw = h.client().messages().withRawResponse().create(
                    com.anthropic.models.messages.MessageCreateParams.builder().model("claude-opus-5-5")
                            .maxTokens(1024).addUserMessage("Hi").build());
            String upstreamModel = h.upstream().requests().get(0).json().path("model").asText();
            assertEquals("qwen/qwen3-coder-480b-a35b-instruct", upstreamModel);
            assertEquals(List.of(upstreamModel), raw.headers().values("x-ncp-model"));
            assertEquals("claude-opus-5-5", raw.parse().model().asString());

            Wire.Reply streamed = Wire.post(h, "/v1/messages", STREAMED_HI);
            assertEquals(upstreamModel, streamed.header("x-ncp-model"));
            assertEquals("claude-opus-5-5", SseEvents.parse(streamed.body()).first("message_start").data()
                    .path("message").path("model").asText());
        }
    }

    private static void assertStreamHeaders(Wire.Reply reply) {
        assertEquals(200, reply.status(), reply.text());
        assertTrue(reply.header("content-type").startsWith("text/event-stream"), reply.headers().map().toString());
        Wire.assertRequestId(reply);
        assertEquals("qwen/qwen3-coder-480b-a35b-instruct", reply.header("x-ncp-model"));
    }

    /** Claude Code's context meter reads message_start's input_tokens: never 0. */
    private static void assertMessageStart(SseEvents sse) {
        JsonNode message = sse.events().get(0).data().path("message");
        assertEquals("message", message.path("type").asText());
        assertEquals("assistant", message.path("role").asText());
        assertEquals("claude-opus-5-5", message.path("model").asText());
        assertTrue(message.path("id").asText().matches("msg_[0-9A-Za-z]+"), message.toString());
        assertEquals(Wire.json("[]"), message.path("content"));
        assertTrue(message.path("usage").path("input_tokens").asInt() > 0, message.toString());
    }

    private static String readAll(BufferedReader in) throws IOException {
        var sb = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }
}
