package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Tool;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What servers and gateways in front of NIM do to the wire, through the whole proxy with the Anthropic Java SDK,
 * streamed and not: a whole {@code chat.completion} JSON in answer to {@code stream: true}, a stream compressed
 * with gzip or deflate although none was asked for, and the SSE dialects that already work (CRLF lines, {@code data:}
 * without a space, comment and {@code event:} lines, usage repeated cumulatively on every chunk, an empty answer, a
 * UTF-8 character cut between two reads) — each gives the client the same answer as a plain stream.
 */
@Timeout(60)
class UpstreamWireQuirksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "qwen/qwen3-coder-480b-a35b-instruct";
    private static final Tool WEATHER = Tool.builder().name("get_weather").description("Weather in a city")
            .inputSchema(Tool.InputSchema.builder().properties(Tool.InputSchema.Properties.builder()
                    .putAdditionalProperty("city", com.anthropic.core.JsonValue.from(Map.of("type", "string")))
                    .build()).build()).build();

    private ProxyHarness h;

    @BeforeEach
    void start() {
        h = ProxyHarness.start();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private static MessageCreateParams ask() {
        return MessageCreateParams.builder().model(MODEL).maxTokens(256).addUserMessage("Hi").addTool(WEATHER).build();
    }

    /** The answer as the SDK sees it, both ways: the same script played once streamed, once not. */
    private List<SdkAnswer> bothWays(Script script) {
        h.upstream().enqueue(script).enqueue(script);
        Message whole = h.client().messages().create(ask());
        Message streamed;
        try (var stream = h.client().messages().createStreaming(ask())) {
            var accumulator = MessageAccumulator.create();
            stream.stream().forEach(accumulator::accumulate);
            streamed = accumulator.message();
        }
        return List.of(SdkAnswer.of(whole), SdkAnswer.of(streamed));
    }

    private static String text(SdkAnswer answer) {
        return answer.content().stream().filter(b -> b instanceof SdkAnswer.Text)
                .map(b -> ((SdkAnswer.Text) b).text()).reduce("", String::concat);
    }

    private static Script wholeJson(String completion) {
        return Script.status(200, Map.of("Content-Type", "application/json"), completion);
    }

    @Test
    void aWholeCompletionInAnswerToStreamTrueIsTheSameAnswer() {
        String completion = """
                {"id":"chatcmpl-w1","object":"chat.completion","created":1764070000,"model":"%s",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hello from one JSON","tool_calls":null},
                 "logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}}""".formatted(MODEL);
        for (SdkAnswer answer : bothWays(wholeJson(completion))) {
            assertEquals("Hello from one JSON", text(answer), answer.toString());
            assertEquals("end_turn", answer.stopReason());
            assertEquals(5, answer.usage().output());
        }
        assertTrue(h.upstream().requests().get(0).json().path("stream").asBoolean(), "ncp still asked for a stream");
    }

    @Test
    void anEventStreamLabelledJsonIsStillReadAsAStream() {
        h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
        String expected = text(SdkAnswer.of(h.client().messages().create(ask())));
        for (SdkAnswer answer : bothWays(Script.fixture("text-stop-usage-last.sse")
                .withHeader("Content-Type", "application/json"))) {
            assertEquals(expected, text(answer));
            assertEquals("end_turn", answer.stopReason());
        }
    }

    @Test
    void aWholeCompletionWithAToolCallAndReasoningBecomesThinkingAndToolUse() throws Exception {
        String completion = """
                {"id":"chatcmpl-w2","object":"chat.completion","created":1764070000,"model":"%s",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Let me check.",
                  "reasoning_content":"The user wants weather.",
                  "tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather",
                   "arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                 "finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":12,"completion_tokens":9,"total_tokens":21}}""".formatted(MODEL);
        for (SdkAnswer answer : bothWays(wholeJson(completion).withHeader("Content-Type",
                "application/json; charset=utf-8"))) {
            assertEquals("tool_use", answer.stopReason(), answer.toString());
            var tool = answer.content().stream().filter(b -> b instanceof SdkAnswer.ToolUse)
                    .map(b -> (SdkAnswer.ToolUse) b).findFirst().orElseThrow();
            assertEquals("get_weather", tool.name());
            assertEquals(JSON.readTree("{\"city\":\"Paris\"}"), tool.input());
            assertEquals("Let me check.", text(answer));
        }
    }

    @Test
    void aGzipOrDeflateStreamIsInflatedAsItArrives() throws IOException {
        byte[] plain = dev.ncp.host.testing.Fixtures.upstream("text-stop-usage-last.sse");
        h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse")).enqueue(Script.fixture(
                "text-stop-usage-last.sse"));
        Message reference = h.client().messages().create(ask());
        String expected = text(SdkAnswer.of(reference));
        assertTrue(expected.startsWith("Hello!"), expected);
        for (String encoding : List.of("gzip", "deflate")) {
            Compressed c = compressPerEvent(plain, encoding);
            Script script = Script.stream(c.bytes()).cutAt(c.flushes()).withHeader("Content-Encoding", encoding);
            for (SdkAnswer answer : bothWays(script)) {
                assertEquals(expected, text(answer), encoding);
                assertEquals("end_turn", answer.stopReason(), encoding);
                assertEquals(reference.usage().outputTokens(), answer.usage().output(), encoding);
            }
        }
    }

    @Test
    void anEncodingNcpCannotReadIsA502ThatNamesIt() {
        // every attempt gets it (a 502 is retried)
        h.upstream().fallback(Script.fixture("text-stop-usage-last.sse").withHeader("Content-Encoding", "br"));
        var e = org.junit.jupiter.api.Assertions.assertThrows(com.anthropic.errors.AnthropicServiceException.class,
                () -> h.client().messages().create(ask()));
        assertEquals(502, e.statusCode());
        assertTrue(e.getMessage().contains("Content-Encoding: br"), e.getMessage());
    }

    @Test
    void sseDialectsAndCumulativeUsageGiveThePlainAnswer() {
        String chunk = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + MODEL + "\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},\"finish_reason\":%s}],"
                + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":%d,\"total_tokens\":%d}}";
        String sse = ": a gateway's comment\r\n"
                + "event: message\r\ndata:" + chunk.formatted("Grüße ", "null", 1, 11) + "\r\n\r\n"
                + "id: 2\r\ndata: " + chunk.formatted("aus ", "null", 2, 12) + "\r\n\r\n"
                + ": keep-alive\r\n\r\n"
                + "data: " + chunk.formatted("Köln", "\"stop\"", 3, 13) + "\r\n\r\n"
                + "data: [DONE]\r\n\r\n";
        byte[] bytes = sse.getBytes(StandardCharsets.UTF_8);
        int inUmlaut = sse.substring(0, sse.indexOf("ü")).getBytes(StandardCharsets.UTF_8).length + 1;
        for (SdkAnswer answer : bothWays(Script.stream(bytes).cutAt(inUmlaut))) {
            assertEquals("Grüße aus Köln", text(answer), answer.toString());
            assertEquals(3, answer.usage().output(), "cumulative usage is the last figure, not a sum");
            assertEquals("end_turn", answer.stopReason());
        }
    }

    @Test
    void anEmptyAnswerIsAnEmptyEndTurn() {
        String sse = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + MODEL
                + "\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":0,"
                + "\"total_tokens\":10}}\n\ndata: [DONE]\n\n";
        for (SdkAnswer answer : bothWays(Script.stream(sse.getBytes(StandardCharsets.UTF_8)))) {
            assertEquals("", text(answer), answer.toString());
            assertEquals("end_turn", answer.stopReason());
            assertEquals(0, answer.usage().output());
        }
    }

    private record Compressed(byte[] bytes, int[] flushes) {
    }

    /** {@code sse} compressed with a flush after every event, as a compressing gateway that streams sends it. */
    private static Compressed compressPerEvent(byte[] sse, String encoding) throws IOException {
        var out = new ByteArrayOutputStream();
        var flushes = new ArrayList<Integer>();
        String[] events = new String(sse, StandardCharsets.UTF_8).split("(?<=\n\n)");
        try (var z = encoding.equals("gzip") ? new GZIPOutputStream(out, true) : new DeflaterOutputStream(out, true)) {
            for (String event : events) {
                z.write(event.getBytes(StandardCharsets.UTF_8));
                z.flush();
                if (out.size() > 0 && (flushes.isEmpty() || flushes.get(flushes.size() - 1) < out.size())) {
                    flushes.add(out.size());
                }
            }
        }
        if (!flushes.isEmpty() && flushes.get(flushes.size() - 1) >= out.size()) {
            flushes.remove(flushes.size() - 1);
        }
        return new Compressed(out.toByteArray(), flushes.stream().mapToInt(Integer::intValue).toArray());
    }
}
