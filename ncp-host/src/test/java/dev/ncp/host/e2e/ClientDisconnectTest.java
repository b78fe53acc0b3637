package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.RawHttp;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that hangs up mid-answer gets its upstream request cancelled within a second, so nobody pays for tokens
 * no one reads. Each test measures from the client's close to the moment the (simulated) upstream's connection is
 * closed — a bound that includes this test's own polling, so the real figure is a little lower.
 *
 * <p>Streams: ncp learns the client is gone when a write to it fails — at once while the answer flows, and through
 * keep-alive comments (every quarter second) while the upstream produces nothing to forward. {@code stream: false}:
 * nothing is written before the end, so ncp watches the connection for the client's close.
 */
@Timeout(30)
class ClientDisconnectTest {

    /** A client that leaves frees the upstream at once: the upstream sees its connection closed within one second of the client's close. */
    private static final Duration PROMISED = Duration.ofSeconds(1);

    private static final String CHUNK = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"w%04d \"},\"finish_reason\":null}]}\n\n";
    private static final String WHOLE = """
            {"model":"claude-opus-5-5","max_tokens":1024,
             "messages":[{"role":"user","content":"Write something in one sentence, please."}]}""";

    @Test
    void aClientThatLeavesWhileTheAnswerFlowsHasItsUpstreamCancelledWithinASecond() throws Exception {
        try (var h = ProxyHarness.start()) {
            h.upstream().enqueue(longSlowAnswer());
            long closedAt = streamAndHangUpAfter(h, "\"text\":\"w0000 \"");
            assertUpstreamClosedWithinPromise(h, closedAt);
        }
    }

    @Test
    void aClientThatLeavesWhileTheUpstreamSendsNothingToForwardIsNoticedWithinASecond() throws Exception {
        try (var h = ProxyHarness.start(Map.of("R2_PING_INTERVAL", "1"))) {
            // First text, then an answer that never ends: only SSE comments, which make no event for the client.
            h.upstream().enqueue(Script.stream(firstChunks()).thenTrickle(Duration.ofMillis(50)));
            long closedAt = streamAndHangUpAfter(h, "\"text\":\"Hello! \"");
            assertUpstreamClosedWithinPromise(h, closedAt);
        }
    }

    @Test
    void aClientThatLeavesWhileTheUpstreamIsSilentHasItsUpstreamCancelledWithinASecond() throws Exception {
        // Pings every 15 s (the default) would take up to 30 s to notice; keep-alive comments take under a second.
        try (var h = ProxyHarness.start()) {
            h.upstream().enqueue(Script.stream(firstChunks()).thenHang());
            long closedAt = streamAndHangUpAfter(h, "\"text\":\"Hello! \"");
            assertUpstreamClosedWithinPromise(h, closedAt);
        }
    }

    @Test
    void aClientThatLeavesBeforeTheUpstreamAnswersHasItsUpstreamRequestCancelledWithinASecond() throws Exception {
        try (var h = ProxyHarness.start()) {
            h.upstream().enqueue(Script.stream(new byte[0]).delayHeaders(Duration.ofSeconds(20)));
            long closedAt = streamAndHangUpAfter(h, "event: message_start");
            assertUpstreamClosedWithinPromise(h, closedAt);
        }
    }

    @Test
    void aWholeAnswersClientThatLeavesBeforeTheUpstreamAnswersHasItCancelledWithinASecond() throws Exception {
        try (var h = ProxyHarness.start()) {
            h.upstream().enqueue(Script.stream(new byte[0]).delayHeaders(Duration.ofSeconds(20)));
            long closedAt = askWholeAndHangUp(h);
            assertUpstreamClosedWithinPromise(h, closedAt);
        }
    }

    @Test
    void aWholeAnswersClientThatLeavesWhileTheUpstreamIsSilentHasItCancelledWithinASecond() throws Exception {
        try (var h = ProxyHarness.start()) {
            h.upstream().enqueue(Script.stream(firstChunks()).thenHang());
            long closedAt = askWholeAndHangUp(h);
            assertUpstreamClosedWithinPromise(h, closedAt);
        }
    }

    @Test
    void aWholeAnswersClientThatLeavesWhileTheAnswerFlowsHasItCancelledWithinASecond() throws Exception {
        try (var h = ProxyHarness.start()) {
            h.upstream().enqueue(longSlowAnswer());
            long closedAt = askWholeAndHangUp(h);
            assertUpstreamClosedWithinPromise(h, closedAt);
        }
    }

    @Test
    void watchingForAHangUpLeavesAKeptAliveConnectionUsableForTheNextRequests() throws Exception {
        try (var h = ProxyHarness.start()) {
            byte[] body = WHOLE.getBytes(StandardCharsets.UTF_8);
            try (Socket socket = RawHttp.connect(h.baseUrl(), 10_000)) {
                for (int i = 0; i < 3; i++) {
                    h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
                    sendRequest(socket, h, body);
                    String answer = readOneAnswer(socket.getInputStream());
                    assertTrue(answer.startsWith("HTTP/1.1 200"), "request " + i + ": " + answer);
                    assertTrue(answer.contains("\"type\":\"message\""), "request " + i + ": " + answer);
                }
            }
            assertEquals(3, h.upstream().requests().size());
        }
    }

    @Test
    void aWholeAnswerSlowerThanTheClientIdleTimeoutStillArrives() throws Exception {
        // Watching for a hang-up must not turn the connection's idle timeout into one: the client is still there.
        try (var h = ProxyHarness.start(Map.of("NCP_CLIENT_IDLE_TIMEOUT_SECONDS", "1"))) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse").delayHeaders(Duration.ofMillis(2500)));
            try (Socket socket = RawHttp.connect(h.baseUrl(), 10_000)) {
                sendRequest(socket, h, WHOLE.getBytes(StandardCharsets.UTF_8));
                String answer = readOneAnswer(socket.getInputStream());
                assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
                assertTrue(answer.contains("\"type\":\"message\""), answer);
            }
        }
    }

    /** About 40 s of deltas, one every 20 ms, unless someone stops it. */
    private static Script longSlowAnswer() {
        var sse = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            sse.append(CHUNK.formatted(i));
        }
        int eventBytes = CHUNK.formatted(0).getBytes(StandardCharsets.UTF_8).length;
        return Script.stream(sse.toString().getBytes(StandardCharsets.UTF_8)).chunked(eventBytes, Duration.ofMillis(20));
    }

    /** The recorded answer's first chunks, up to its second text delta. */
    private static byte[] firstChunks() {
        String fixture = new String(dev.ncp.host.testing.Fixtures.upstream("text-stop-usage-last.sse"),
                StandardCharsets.UTF_8);
        return fixture.substring(0, fixture.indexOf("data: ", fixture.indexOf("I can h")))
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Waits for the upstream's connection to close and asserts it did so within {@link #PROMISED} of
     * {@code closedAt}. The wait itself is longer, so a failure reports the real figure rather than a timeout.
     */
    private static void assertUpstreamClosedWithinPromise(ProxyHarness h, long closedAt) throws InterruptedException {
        long giveUp = closedAt + Duration.ofSeconds(10).toNanos();
        while (h.upstream().openConnections() > 0 && System.nanoTime() < giveUp) {
            Thread.sleep(5);
        }
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - closedAt).toMillis();
        assertEquals(0, h.upstream().openConnections(), "the upstream connection outlived the client by 10 s");
        assertTrue(elapsedMillis <= PROMISED.toMillis(),
                "the upstream connection was closed " + elapsedMillis + " ms after the client's, not within 1 s");
    }

    /**
     * Sends a streamed request on a raw socket, reads until a line contains {@code marker} and the upstream has the
     * request, then closes.
     */
    private static long streamAndHangUpAfter(ProxyHarness h, String marker) throws IOException, InterruptedException {
        byte[] body = SseWireTest.STREAMED_HI.getBytes(StandardCharsets.UTF_8);
        var socket = new Socket(URI.create(h.baseUrl()).getHost(), URI.create(h.baseUrl()).getPort());
        try (socket) {
            sendRequest(socket, h, body);
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertTrue(in.readLine().startsWith("HTTP/1.1 200"));
            String line;
            while ((line = in.readLine()) != null && !line.contains(marker)) {
                // read on up to the marker
            }
            assertTrue(line != null, "never saw " + marker);
            awaitUpstreamRequest(h); // message_start goes out before ncp calls the upstream
            long closedAt = System.nanoTime();
            socket.close(); // hangs up mid-answer
            return closedAt;
        }
    }

    /** Sends a stream:false request on a raw socket, waits until the upstream has it, then closes. */
    private static long askWholeAndHangUp(ProxyHarness h) throws IOException, InterruptedException {
        try (Socket socket = RawHttp.connect(h.baseUrl(), 10_000)) {
            sendRequest(socket, h, WHOLE.getBytes(StandardCharsets.UTF_8));
            awaitUpstreamRequest(h);
            assertEquals(0, socket.getInputStream().available(), "ncp answered before the upstream did");
            long closedAt = System.nanoTime();
            socket.close(); // hangs up while ncp waits for the upstream
            return closedAt;
        }
    }

    private static void awaitUpstreamRequest(ProxyHarness h) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (h.upstream().requests().isEmpty() && System.nanoTime() < giveUp) {
            Thread.sleep(5);
        }
        assertEquals(1, h.upstream().requests().size(), "the request never reached the upstream");
    }

    private static void sendRequest(Socket socket, ProxyHarness h, byte[] body) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(RawHttp.messagesPostHead(h.baseUrl(), body.length));
        out.write(body);
        out.flush();
    }

    /** Reads one Content-Length answer (head and body) from a kept-alive connection. */
    private static String readOneAnswer(InputStream in) throws IOException {
        var head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.toString(); // closed: the caller's assertion shows what came
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
