package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.io.BufferedReader;
import java.io.IOException;
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
 * A client that hangs up mid-answer gets its upstream request cancelled, so nobody pays for tokens no one reads.
 * ncp learns the client is gone when a write to it fails: at once while the answer flows, and through keep-alive
 * comments (every quarter second) while the upstream produces nothing to forward.
 */
@Timeout(30)
class ClientDisconnectTest {

    private static final String CHUNK = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"w%04d \"},\"finish_reason\":null}]}\n\n";

    @Test
    void aClientThatLeavesWhileTheAnswerFlowsHasItsUpstreamCancelledAtOnce() throws Exception {
        try (var h = ProxyHarness.start()) {
            // A long answer, one delta every 20 ms (about 40 s in all unless someone stops it).
            var sse = new StringBuilder();
            for (int i = 0; i < 2000; i++) {
                sse.append(CHUNK.formatted(i));
            }
            int eventBytes = CHUNK.formatted(0).getBytes(StandardCharsets.UTF_8).length;
            h.upstream().enqueue(Script.stream(sse.toString().getBytes(StandardCharsets.UTF_8))
                    .chunked(eventBytes, Duration.ofMillis(20)));

            openAndHangUpAfter(h, "\"text\":\"w0000 \"");

            assertTrue(h.upstream().awaitClientDisconnect(Duration.ofSeconds(2)),
                    "ncp kept the upstream request open after the client left");
        }
    }

    @Test
    void aClientThatLeavesWhileTheUpstreamSendsNothingToForwardIsNoticedByThePings() throws Exception {
        try (var h = ProxyHarness.start(Map.of("R2_PING_INTERVAL", "1"))) {
            // First text, then an answer that never ends: only SSE comments, which make no event for the client.
            String fixture = new String(dev.ncp.host.testing.Fixtures.upstream("text-stop-usage-last.sse"),
                    StandardCharsets.UTF_8);
            String firstChunks = fixture.substring(0, fixture.indexOf("data: ", fixture.indexOf("I can h")));
            h.upstream().enqueue(Script.stream(firstChunks.getBytes(StandardCharsets.UTF_8))
                    .thenTrickle(Duration.ofMillis(50)));

            openAndHangUpAfter(h, "\"text\":\"Hello! \"");

            // The first ping after the hang-up still reaches the socket; the one after fails: two intervals.
            assertTrue(h.upstream().awaitClientDisconnect(Duration.ofSeconds(5)),
                    "ncp kept the upstream request open after the client left");
        }
    }

    @Test
    void aClientThatLeavesWhileTheUpstreamIsSilentHasItsUpstreamCancelledPromptly() throws Exception {
        // Pings every 15 s (the default) would take up to 30 s to notice; keep-alive comments take under a second.
        try (var h = ProxyHarness.start()) {
            String fixture = new String(dev.ncp.host.testing.Fixtures.upstream("text-stop-usage-last.sse"),
                    StandardCharsets.UTF_8);
            String firstChunks = fixture.substring(0, fixture.indexOf("data: ", fixture.indexOf("I can h")));
            h.upstream().enqueue(Script.stream(firstChunks.getBytes(StandardCharsets.UTF_8)).thenHang());

            openAndHangUpAfter(h, "\"text\":\"Hello! \"");

            // Noticed within a keep-alive interval plus a watchdog tick (well under a second on an idle machine);
            // 3 s leaves room for a loaded CI machine and is still far below the 15 s pings this test rules out.
            assertTrue(h.upstream().awaitClientDisconnect(Duration.ofSeconds(3)),
                    "ncp kept the silent upstream request open after the client left");
        }
    }

    @Test
    void aClientThatLeavesBeforeTheUpstreamAnswersHasItsUpstreamRequestCancelledPromptly() throws Exception {
        try (var h = ProxyHarness.start()) {
            h.upstream().enqueue(Script.stream(new byte[0]).delayHeaders(Duration.ofSeconds(20)));
            openAndHangUpAfter(h, "event: message_start");
            // Under a second on an idle machine; 3 s for a loaded CI machine, far below the 20 s upstream delay.
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (h.upstream().openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0, h.upstream().openConnections(), "the upstream connection outlived the client");
        }
    }

    /** Sends a streamed request on a raw socket, reads until a line contains {@code marker}, then closes. */
    private static void openAndHangUpAfter(ProxyHarness h, String marker) throws IOException {
        URI base = URI.create(h.baseUrl());
        byte[] body = SseWireTest.STREAMED_HI.getBytes(StandardCharsets.UTF_8);
        try (var socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/messages HTTP/1.1\r\nHost: " + base.getAuthority()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertTrue(in.readLine().startsWith("HTTP/1.1 200"));
            String line;
            while ((line = in.readLine()) != null && !line.contains(marker)) {
                // read on up to the marker
            }
            assertTrue(line != null, "never saw " + marker);
        } // hangs up mid-answer
    }
}
