package dev.ncp.host.response;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.host.testing.AnswerHarness;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiChunkDecoderTest {

    /** What the decoder reported, as text: the content (or "?") of each chunk, and DONE. */
    private static final class Recorder implements OpenAiChunkDecoder.Listener {
        final List<String> seen = new ArrayList<>();
        final List<ChatChunk> chunks = new ArrayList<>();

        @Override
        public void onChunk(ChatChunk chunk) {
            chunks.add(chunk);
            seen.add(chunk.choices().isEmpty() || chunk.choices().get(0).delta() == null
                    ? "?" : String.valueOf(chunk.choices().get(0).delta().content()));
        }

        @Override
        public void onDone() {
            seen.add("DONE");
        }
    }

    private static OpenAiChunkDecoder decoder() {
        return new OpenAiChunkDecoder(UpstreamJson.chunkReader(AnswerHarness.JSON), 1 << 20);
    }

    private static String content(String text) {
        return "{\"choices\":[{\"index\":0,\"delta\":{\"content\":" + quote(text) + "}}]}";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static List<String> decode(byte[] bytes, int... cuts) {
        var recorder = new Recorder();
        var decoder = decoder();
        int from = 0;
        for (int cut : cuts) {
            decoder.feed(bytes, from, cut - from, recorder);
            from = cut;
        }
        decoder.feed(bytes, from, bytes.length - from, recorder);
        decoder.endOfInput(recorder);
        return recorder.seen;
    }

    @Test
    void crlfLineEndingsCommentsAndOtherFieldsAreHandled() {
        String body = ": keep-alive\r\n\r\nevent: chunk\r\nid: 7\r\ndata: " + content("a") + "\r\n\r\n"
                + "retry: 100\r\n\r\ndata: " + content("b") + "\r\n\r\ndata: [DONE]\r\n\r\n";
        assertEquals(List.of("a", "b", "DONE"), decode(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void bareCarriageReturnsEndLinesToo() {
        String body = "data: " + content("a") + "\r\rdata: [DONE]\r\r";
        assertEquals(List.of("a", "DONE"), decode(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void multiLineDataIsJoinedWithNewlines() {
        String body = "data: {\"choices\":[{\"index\":0,\n"
                + "data: \"delta\":{\"content\":\"joined\"}}]}\n\n";
        assertEquals(List.of("joined"), decode(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void dataWithoutASpaceAfterTheColonIsRead() {
        assertEquals(List.of("x", "DONE"),
                decode(("data:" + content("x") + "\n\ndata:[DONE]\n\n").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aMultiByteCharacterSplitAcrossFeedsIsDecodedIntact() {
        byte[] bytes = ("data: " + content("caf\u00e9 \u65e5\u672c \uD83D\uDE00") + "\n\n").getBytes(StandardCharsets.UTF_8);
        List<String> whole = decode(bytes);
        assertEquals(List.of("caf\u00e9 \u65e5\u672c \uD83D\uDE00"), whole);
        for (int cut = 1; cut < bytes.length; cut++) {
            assertEquals(whole, decode(bytes, cut), "cut at " + cut);
        }
    }

    @Test
    void aCrlfSplitBetweenItsTwoBytesIsOneLineEnd() {
        byte[] bytes = ("data: " + content("a") + "\r\n\r\ndata: " + content("b") + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut < bytes.length; cut++) {
            assertEquals(List.of("a", "b"), decode(bytes, cut), "cut at " + cut);
        }
    }

    @Test
    void everyWayOfCuttingAMixedStreamInThreeDecodesTheSame() {
        String body = ": keep-alive\r\n\r\nevent: chunk\nid: 7\ndata: " + content("caf\u00e9 \uD83D\uDE00") + "\r\n\r\n"
                + "data: {\"choices\":[{\"index\":0,\rdata: \"delta\":{\"content\":\"joined\"}}]}\r\r"
                + "data:" + content("a\nb") + "\n\n\n\ndata: [DONE]\n\ndata: " + content("late") + "\n\n";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        List<String> expected = List.of("caf\u00e9 \uD83D\uDE00", "joined", "a\nb", "DONE");
        assertEquals(expected, decode(bytes));
        for (int first = 0; first <= bytes.length; first++) {
            for (int second = first; second <= bytes.length; second += 7) {
                assertEquals(expected, decode(bytes, first, second), "cut at " + first + " and " + second);
            }
        }
    }

    @Test
    void everythingAfterDoneIsIgnored() {
        assertEquals(List.of("DONE"), decode(("data: [DONE]\n\ndata: " + content("late") + "\n\n")
                .getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void unknownFieldsAreIgnoredAndKnownOnesRead() {
        String body = "data: {\"id\":\"c1\",\"system_fingerprint\":\"x\",\"choices\":[{\"index\":0,\"logprobs\":null,"
                + "\"delta\":{\"reasoning\":\"hm\",\"tool_calls\":[{\"index\":2,\"id\":\"t\",\"type\":\"function\","
                + "\"function\":{\"name\":\"Read\",\"arguments\":\"{}\"}}]},\"finish_reason\":\"stop\","
                + "\"stop_reason\":\"###\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":4}}}\n\n";
        var recorder = new Recorder();
        decoder().feed(body.getBytes(StandardCharsets.UTF_8), 0, body.length(), recorder);
        ChatChunk chunk = recorder.chunks.get(0);
        ChatChunk.Choice choice = chunk.choices().get(0);
        assertEquals("hm", choice.delta().anyReasoning());
        assertEquals(2, choice.delta().toolCalls().get(0).index());
        assertEquals("Read", choice.delta().toolCalls().get(0).function().name());
        assertEquals("stop", choice.finishReason());
        assertEquals("###", choice.matchedStopString());
        assertEquals(9, chunk.usage().promptTokens());
        assertEquals(4, chunk.usage().cachedTokens());
    }

    @Test
    void aTokenIdInStopReasonIsNotAStopString() {
        String body = "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\",\"stop_reason\":128009}]}\n\n";
        var recorder = new Recorder();
        decoder().feed(body.getBytes(StandardCharsets.UTF_8), 0, body.length(), recorder);
        assertEquals(null, recorder.chunks.get(0).choices().get(0).matchedStopString());
    }

    @Test
    void malformedJsonIsADecodeErrorNotASkippedChunk() {
        byte[] bytes = "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"a\n\n"
                .getBytes(StandardCharsets.UTF_8);
        var e = assertThrows(UpstreamDecodeException.class, () -> decoder().feed(bytes, 0, bytes.length, new Recorder()));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void anEventLargerThanTheLimitIsRefused() {
        var decoder = new OpenAiChunkDecoder(UpstreamJson.chunkReader(AnswerHarness.JSON), 4096);
        byte[] bytes = ("data: " + content("x".repeat(10_000)) + "\n\n").getBytes(StandardCharsets.UTF_8);
        assertThrows(UpstreamDecodeException.class, () -> decoder.feed(bytes, 0, bytes.length, new Recorder()));
    }

    @Test
    void aLastEventWithoutItsBlankLineIsStillDeliveredButACutOffOneIsDropped() {
        assertEquals(List.of("end"), decode(("data: " + content("end")).getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("a"), decode(("data: " + content("a") + "\n\ndata: {\"choices\":[{\"ind")
                .getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void emptyDataEventsAreKeepAlives() {
        assertEquals(List.of("a"), decode(("data:\n\ndata: \n\ndata: " + content("a") + "\n\n")
                .getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void inStreamErrorsAreRecognised() {
        var recorder = new Recorder();
        byte[] bytes = "data: {\"error\":{\"message\":\"boom\",\"code\":500}}\n\ndata: {\"object\":\"error\",\"message\":\"x\"}\n\n"
                .getBytes(StandardCharsets.UTF_8);
        decoder().feed(bytes, 0, bytes.length, recorder);
        assertTrue(recorder.chunks.get(0).isError());
        assertTrue(recorder.chunks.get(1).isError());
    }
}
