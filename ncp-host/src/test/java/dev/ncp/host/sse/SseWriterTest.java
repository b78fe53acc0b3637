package dev.ncp.host.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ncp.api.error.ErrorType;
import dev.ncp.api.stream.StopReason;
import dev.ncp.api.stream.StreamEvent;
import dev.ncp.api.stream.StreamEvent.ContentBlockDelta;
import dev.ncp.api.stream.StreamEvent.ContentBlockStart;
import dev.ncp.api.stream.StreamEvent.TextDelta;
import dev.ncp.api.stream.StreamEvent.ThinkingDelta;
import dev.ncp.api.stream.Usage;
import dev.ncp.host.testing.AnswerHarness;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseWriterTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private String written() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eachEventIsOneFrameWithAnIncreasingIdPingsIncluded() {
        var writer = new SseWriter(out, AnswerHarness.JSON, 0);
        writer.accept(new StreamEvent.MessageStart("msg_1", "claude-x", new Usage(5, 0, 0, 0)));
        writer.accept(new StreamEvent.Ping());
        writer.accept(new ContentBlockStart(0, new StreamEvent.TextBlock()));
        assertEquals("event: message_start\nid: 1\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":[],"
                + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":0,"
                + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0}}}\n\n"
                + "event: ping\nid: 2\ndata: {\"type\":\"ping\"}\n\n"
                + "event: content_block_start\nid: 3\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n", written());
    }

    @Test
    void blockAndMessageShapesAreAnthropics() {
        var writer = new SseWriter(out, AnswerHarness.JSON, 0);
        writer.accept(new ContentBlockStart(0, new StreamEvent.ThinkingBlock()));
        writer.accept(new ContentBlockStart(1, new StreamEvent.ToolUseBlock("toolu_1", "Read")));
        writer.accept(new ContentBlockDelta(1, new StreamEvent.InputJsonDelta("{\"a\":\"\\n\"}")));
        writer.accept(new ContentBlockDelta(0, new StreamEvent.SignatureDelta("c2ln")));
        writer.accept(new StreamEvent.ContentBlockStop(0));
        writer.accept(new StreamEvent.MessageDelta(StopReason.STOP_SEQUENCE, "###", new Usage(1, 2, 3, 4)));
        writer.accept(new StreamEvent.MessageStop());
        writer.accept(new StreamEvent.Error(ErrorType.OVERLOADED, "busy \"now\""));
        List<String> data = SseFrames.parse(out.toByteArray()).frames().stream().map(SseFrames.Frame::data).toList();
        assertEquals(List.of(
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}",
                "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Read\",\"input\":{}}}",
                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\":\\\"\\\\n\\\"}\"}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"c2ln\"}}",
                "{\"type\":\"content_block_stop\",\"index\":0}",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"stop_sequence\",\"stop_sequence\":\"###\"},\"usage\":{\"input_tokens\":1,\"output_tokens\":2,\"cache_creation_input_tokens\":4,\"cache_read_input_tokens\":3}}",
                "{\"type\":\"message_stop\"}",
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"busy \\\"now\\\"\"}}"), data);
    }

    @Test
    void mergingJoinsQueuedDeltasOfOneBlockUpToTheLimitAndWritesThemAtTheBatchEnd() {
        var writer = new SseWriter(out, AnswerHarness.JSON, 8);
        writer.accept(new ContentBlockDelta(0, new TextDelta("abc")));
        writer.accept(new ContentBlockDelta(0, new TextDelta("def")));
        assertEquals("", written(), "held until the batch ends");
        writer.accept(new ContentBlockDelta(0, new TextDelta("ghi"))); // 9 > 8: the held 6 go out
        writer.accept(new ContentBlockDelta(1, new ThinkingDelta("x"))); // another block: no merging across
        writer.accept(new ContentBlockDelta(1, new ThinkingDelta("a long thinking delta"))); // longer than limit
        writer.endOfBatch();
        List<String> data = SseFrames.parse(out.toByteArray()).frames().stream().map(SseFrames.Frame::data).toList();
        assertEquals(List.of(
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"abcdef\"}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"ghi\"}}",
                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"x\"}}",
                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"a long thinking delta\"}}"),
                data);
    }

    @Test
    void anyOtherEventWritesTheHeldDeltaFirst() {
        var writer = new SseWriter(out, AnswerHarness.JSON, 100);
        writer.accept(new ContentBlockDelta(0, new TextDelta("a")));
        writer.accept(new StreamEvent.ContentBlockStop(0));
        SseFrames frames = SseFrames.parse(out.toByteArray());
        assertEquals(List.of("content_block_delta", "content_block_stop"), frames.events());
        assertEquals(List.of("1", "2"), frames.frames().stream().map(SseFrames.Frame::id).toList());
    }

    @Test
    void theFramesOfABatchAreFlushedOnceAtItsEndAndAKeepAliveAtOnce() {
        var flushes = new int[1];
        OutputStream counting = new OutputStream() {
            @Override
            public void write(int b) {
                out.write(b);
            }

            @Override
            public void flush() {
                flushes[0]++;
            }
        };
        var writer = new SseWriter(counting, AnswerHarness.JSON, 0);
        writer.accept(new ContentBlockStart(0, new StreamEvent.TextBlock()));
        writer.accept(new ContentBlockDelta(0, new TextDelta("a")));
        writer.accept(new ContentBlockDelta(0, new TextDelta("b")));
        assertEquals(List.of("content_block_start", "content_block_delta", "content_block_delta"),
                SseFrames.parse(out.toByteArray()).events(), "written whole as they come");
        assertEquals(0, flushes[0]);
        writer.endOfBatch();
        assertEquals(1, flushes[0]);
        writer.endOfBatch();
        assertEquals(1, flushes[0], "nothing new: no flush");
        writer.keepAlive();
        assertEquals(2, flushes[0]);
        writer.writeVisualization("{}");
        writer.endOfBatch();
        assertEquals(3, flushes[0]);
    }

    @Test
    void aClientThatWentAwayIsAnUncheckedIoException() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        var writer = new SseWriter(broken, AnswerHarness.JSON, 0);
        assertThrows(UncheckedIOException.class, () -> writer.accept(new StreamEvent.Ping()));
    }
}
