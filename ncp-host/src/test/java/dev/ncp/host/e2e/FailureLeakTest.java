package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.ncp.host.testing.ProxyHarness;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thousand failing requests leave nothing behind: no platform or virtual threads (watchdogs, pumps, upstream
 * exchanges) and no upstream connections beyond the few the client pools.
 */
@Timeout(180)
class FailureLeakTest {

    private static final int REQUESTS = 1000;
    private static final String WHOLE = """
            {"model":"claude-opus-5-5","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""";
    private static final Pattern THREAD_ID = Pattern.compile("\"tid\":");

    @Test
    void aThousandFailingRequestsLeaveThreadsAndConnectionsFlat() throws Exception {
        // No script: every upstream call is an immediate 500. No retries and no breaker, so each one reaches it.
        try (var h = ProxyHarness.start(Map.of("NCP_MAX_RETRIES", "0", "NCP_BREAKER_FAILURES", "0"))) {
            for (int i = 0; i < 50; i++) {
                fail(h, i); // warm up: classes, pools, pooled connections
            }
            settle();
            int platformBefore = Thread.getAllStackTraces().size();
            int allBefore = allThreads();
            int connectionsBefore = h.upstream().openConnections();

            for (int i = 0; i < REQUESTS; i++) {
                fail(h, i);
            }
            settle();
            int platformAfter = Thread.getAllStackTraces().size();
            int allAfter = allThreads();
            int connectionsAfter = h.upstream().openConnections();

            assertEquals(50 + REQUESTS, h.upstream().requests().size());
            assertTrue(platformAfter <= platformBefore + 5, "platform threads " + platformBefore + " -> " + platformAfter);
            assertTrue(allAfter <= allBefore + 10, "threads incl. virtual " + allBefore + " -> " + allAfter);
            assertTrue(connectionsAfter <= connectionsBefore + 2,
                    "upstream connections " + connectionsBefore + " -> " + connectionsAfter);
        }
    }

    /** Alternates a whole and a streamed request; both end in an Anthropic error. */
    private static void fail(ProxyHarness h, int i) {
        if (i % 2 == 0) {
            Wire.assertAnthropicError(Wire.post(h, "/v1/messages", WHOLE), 500, "api_error");
        } else {
            Wire.Reply r = Wire.post(h, "/v1/messages", SseWireTest.STREAMED_HI);
            assertEquals("error", SseEvents.parse(r.body()).names().get(1));
        }
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

    /** Lets finished requests' threads end (watchdogs stop at once; a virtual thread ends when it returns). */
    private static void settle() throws InterruptedException {
        Thread.sleep(500);
    }
}
