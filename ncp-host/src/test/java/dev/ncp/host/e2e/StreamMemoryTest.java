package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Memory per stream is bounded (streams are never buffered whole): a 48 MB answer streams through a
 * running proxy — in this JVM — while the test samples the heap after a full GC at points along the way, the client
 * pausing before each sample so that every buffer between the upstream and it fills up. What ncp retains must stay
 * a small constant, far below the answer's size; a proxy that kept the answer (or let the upstream run ahead of the
 * client without limit) would hold tens of MB by the last sample.
 */
class StreamMemoryTest {

    private static final int PIECE_CHARS = 4096;
    private static final int PIECES = 12_000; // 4 KB × 12,000 = 48 MB of text
    private static final long ANSWER_CHARS = (long) PIECE_CHARS * PIECES;
    /** What ncp may retain for one stream mid-answer, with room for the JVM's own noise: a twelfth of the answer. */
    private static final long RETAINED_BOUND = 4L * 1024 * 1024;

    private static final String STREAMED = """
            {"model":"claude-opus-5-5","max_tokens":32000,"stream":true,
             "messages":[{"role":"user","content":"Write a very long text."}]}""";

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    @Test
    void aLongAnswerStreamsThroughWithoutTheProxyRetainingIt() throws Exception {
        try (var h = ProxyHarness.start()) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse")).enqueue(longAnswer());
            assertEquals(200, Wire.post(h, "/v1/messages", STREAMED).status(), "a first answer warms the path up");
            long baseline = heapAfterGc();

            HttpResponse<InputStream> response = Wire.HTTP.send(Wire.request(h, "POST", "/v1/messages",
                    Map.of("content-type", "application/json"), STREAMED.getBytes(StandardCharsets.UTF_8)),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            long read = 0;
            var retained = new ArrayList<Long>();
            byte[] buffer = new byte[64 * 1024];
            byte[] tail = new byte[0];
            try (InputStream in = response.body()) {
                long nextSample = ANSWER_CHARS / 4;
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    read += n;
                    tail = lastBytes(tail, buffer, n, 512);
                    if (read >= nextSample && retained.size() < 3) {
                        Thread.sleep(300); // a slow client: let the upstream fill every buffer on the way
                        retained.add(heapAfterGc() - baseline);
                        nextSample += ANSWER_CHARS / 4;
                    }
                }
            }
            String end = new String(tail, StandardCharsets.UTF_8);
            assertTrue(read > ANSWER_CHARS, "the whole answer arrived: " + read + " bytes");
            assertTrue(end.contains("\"stop_reason\":\"end_turn\"") && end.endsWith("data: {\"type\":\"message_stop\"}\n\n"),
                    "the answer ended normally: " + end);
            assertEquals(3, retained.size(), "three samples mid-answer");
            for (long bytes : retained) {
                assertTrue(bytes < RETAINED_BOUND, "retained " + bytes / 1024 + " KB mid-answer (samples "
                        + retained + ") while streaming " + ANSWER_CHARS / (1024 * 1024) + " MB");
            }
            System.out.println("StreamMemoryTest: retained mid-answer (bytes above baseline): " + retained);
        }
    }

    /** A 200 stream of {@link #PIECES} content chunks of {@link #PIECE_CHARS} characters, then stop and usage. */
    private static Script longAnswer() {
        String prefix = "data: {\"id\":\"chatcmpl-long\",\"object\":\"chat.completion.chunk\",\"created\":1764070000,"
                + "\"model\":\"qwen/qwen3-coder-480b-a35b-instruct\",\"choices\":[{\"index\":0,\"delta\":";
        String text = "All work and no play makes a long answer. ".repeat(PIECE_CHARS / 42 + 1).substring(0, PIECE_CHARS);
        byte[] head = (prefix + "{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] piece = (prefix + "{\"content\":\"" + text + "\"},\"finish_reason\":null}]}\n\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tailBytes = (prefix + "{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,"
                + "\"completion_tokens\":" + ANSWER_CHARS / 4 + ",\"total_tokens\":" + (12 + ANSWER_CHARS / 4)
                + "}}\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8);
        return Script.repeating(head, piece, PIECES, tailBytes);
    }

    private long heapAfterGc() {
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static byte[] lastBytes(byte[] previous, byte[] buffer, int n, int keep) {
        byte[] joined = new byte[previous.length + n];
        System.arraycopy(previous, 0, joined, 0, previous.length);
        System.arraycopy(buffer, 0, joined, previous.length, n);
        int from = Math.max(0, joined.length - keep);
        return java.util.Arrays.copyOfRange(joined, from, joined.length);
    }
}
