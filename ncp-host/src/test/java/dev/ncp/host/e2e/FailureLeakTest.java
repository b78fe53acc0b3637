package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.RawHttp;
import dev.ncp.host.testing.ScriptedUpstream.RecordedRequest;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thousand failing requests, spread over every way an upstream (or a client) fails, leave nothing behind: no
 * platform or virtual threads (watchdogs, pumps, upstream exchanges), no upstream connections beyond the few the
 * client pools, and no heap. Deadlines are one second and retries off, so every request fails fast and reaches its
 * fault; they run {@link #PARALLEL} at a time.
 */
@Timeout(120)
class FailureLeakTest {

    private static final int REQUESTS = 1000;
    private static final int WARM_UP = 120;
    private static final int PARALLEL = 24;
    /** Heap growth allowed after a thousand requests: far below what even a kilobyte kept per request would add. */
    private static final long HEAP_SLACK_BYTES = 8L << 20;
    private static final Pattern THREAD_ID = Pattern.compile("\"tid\":");

    /** The ways a request fails here; the upstream picks its answer by the kind's name in the prompt. */
    enum Fault {
        RESET_BEFORE_HEADERS, RESET_MID_STREAM, STALL_MID_STREAM, MALFORMED_CHUNK, FIRST_BYTE_TIMEOUT, CLIENT_HANG_UP;

        Script script() {
            return switch (this) {
                case RESET_BEFORE_HEADERS -> Script.resetBeforeHeaders();
                case RESET_MID_STREAM -> Script.stream(ResilienceTest.firstChunks()).thenReset();
                case STALL_MID_STREAM, CLIENT_HANG_UP -> Script.stream(ResilienceTest.firstChunks()).thenHang();
                case MALFORMED_CHUNK -> Script.stream((new String(ResilienceTest.firstChunks(), StandardCharsets.UTF_8)
                        + "data: {oops\n\n").getBytes(StandardCharsets.UTF_8));
                case FIRST_BYTE_TIMEOUT -> Script.stream(new byte[0]).thenHang();
            };
        }

        static Script forRequest(RecordedRequest request) {
            String body = request.bodyText();
            for (Fault f : values()) {
                if (body.contains("fault " + f.name())) {
                    return f.script();
                }
            }
            throw new IllegalStateException("no fault named in " + body);
        }
    }

    @Test
    void aThousandRequestsFailingInEveryWayLeaveThreadsConnectionsAndHeapFlat() throws Exception {
        // No retries and no breaker, so each request reaches its fault; one-second deadlines keep stalls short.
        try (var h = ProxyHarness.start(Map.of("NCP_MAX_RETRIES", "0", "NCP_BREAKER_FAILURES", "0",
                "NCP_IDLE_TIMEOUT_SECONDS", "1", "NCP_FIRST_BYTE_TIMEOUT_SECONDS", "1"))) {
            h.upstream().fallback(Fault::forRequest);
            failAll(h, WARM_UP); // classes, pools, pooled connections
            settle();
            int platformBefore = Thread.getAllStackTraces().size();
            int allBefore = allThreads();
            int connectionsBefore = h.upstream().openConnections();
            long heapBefore = heapAfterGc();

            failAll(h, REQUESTS);
            settle();
            int platformAfter = Thread.getAllStackTraces().size();
            int allAfter = allThreads();
            int connectionsAfter = h.upstream().openConnections();
            long heapAfter = heapAfterGc();

            // One upstream call per request; a client that hung up may have left before its call went out.
            int calls = h.upstream().requests().size();
            int hangUps = (WARM_UP + REQUESTS) / Fault.values().length + 1;
            assertTrue(calls <= WARM_UP + REQUESTS && calls >= WARM_UP + REQUESTS - hangUps, "upstream calls " + calls);
            assertTrue(platformAfter <= platformBefore + 5, "platform threads " + platformBefore + " -> " + platformAfter);
            assertTrue(allAfter <= allBefore + 10, "threads incl. virtual " + allBefore + " -> " + allAfter);
            assertTrue(connectionsAfter <= connectionsBefore + 2,
                    "upstream connections " + connectionsBefore + " -> " + connectionsAfter);
            assertTrue(heapAfter <= heapBefore + HEAP_SLACK_BYTES,
                    "heap used after GC " + (heapBefore >> 20) + " MB -> " + (heapAfter >> 20) + " MB");
        }
    }

    /** Sends {@code count} requests, cycling through the faults and alternating whole and streamed answers. */
    private static void failAll(ProxyHarness h, int count) throws Exception {
        try (var pool = Executors.newFixedThreadPool(PARALLEL, Thread.ofVirtual().factory())) {
            List<Future<?>> results = new ArrayList<>();
            Fault[] faults = Fault.values();
            for (int i = 0; i < count; i++) {
                Fault fault = faults[i % faults.length];
                boolean streamed = (i / faults.length) % 2 == 0;
                results.add(pool.submit(() -> {
                    fail(h, fault, streamed);
                    return null;
                }));
            }
            for (Future<?> r : results) {
                r.get();
            }
        }
    }

    /** One failing request; the client sees a clean Anthropic error (or, hanging up, nothing). */
    private static void fail(ProxyHarness h, Fault fault, boolean streamed) throws IOException {
        String body = """
                {"model":"claude-opus-5-5","max_tokens":64,"stream":%s,
                 "messages":[{"role":"user","content":"fault %s"}]}""".formatted(streamed, fault.name());
        if (fault == Fault.CLIENT_HANG_UP) {
            hangUpAfterSending(h, body, streamed);
        } else if (streamed) {
            Wire.Reply r = Wire.post(h, "/v1/messages", body);
            List<String> names = SseEvents.parse(r.body()).names();
            assertEquals("error", names.get(names.size() - 1), fault + ": " + names);
        } else {
            Wire.Reply r = Wire.post(h, "/v1/messages", body);
            assertTrue(r.status() >= 500, fault + ": status " + r.status());
            assertEquals("error", Wire.json(r.body()).path("type").asText(), fault + ": " + new String(r.body(),
                    StandardCharsets.UTF_8));
        }
    }

    /** Sends the request and hangs up: a stream after its message_start, a whole answer once the upstream has it. */
    private static void hangUpAfterSending(ProxyHarness h, String json, boolean streamed) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = RawHttp.connect(h.baseUrl(), 10_000)) {
            OutputStream out = socket.getOutputStream();
            out.write(RawHttp.messagesPostHead(h.baseUrl(), body.length));
            out.write(body);
            out.flush();
            if (streamed) {
                var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null && !line.startsWith("event: message_start")) {
                    // read on to the answer's start
                }
                assertTrue(line != null, "the stream never began");
            }
        } // hangs up; a whole answer's client leaves while ncp waits for the upstream
    }

    /** Every live thread, virtual ones included, from a JSON thread dump. */
    private static int allThreads() throws IOException {
        Path dump = Files.createTempFile("ncp-threads", ".json");
        Files.delete(dump);
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            return (int) THREAD_ID.matcher(Files.readString(dump)).results().count();
        } finally {
            Files.deleteIfExists(dump);
        }
    }

    /** Heap in use once collections stop freeing more. */
    private static long heapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            long now = memory.getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return now;
            }
            used = now;
        }
        return used;
    }

    /**
     * Lets the last requests' threads and connections end: watchdogs stop at once, a virtual thread ends when it
     * returns, and a hung-up client's upstream is cancelled within a second.
     */
    private static void settle() throws InterruptedException {
        Thread.sleep(1500);
    }
}
