package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.observe.VisualEvent;
import dev.ncp.host.observe.VisualizationBus;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A dashboard that stops reading (a frozen tab, a stuck network) must cost requests nothing: its websocket's
 * buffer fills, its further events are dropped and counted, and requests go on at the same speed.
 */
class SlowVisualizationSubscriberTest {

    private static final int REQUESTS = 40;
    private static final int BUFFER = 32;
    private static final int FLOOD = 20_000;
    private static final long MEDIAN_SLACK_NANOS = 20_000_000L;
    private static final String STREAM = """
            {"model":"claude-opus-4-7","max_tokens":512,"stream":true,
             "tools":[{"name":"Bash","description":"Run a command","input_schema":{"type":"object"}}],
             "messages":[{"role":"user","content":"List /tmp"}]}""";

    @Test
    void aSubscriberThatNeverReadsDoesNotSlowRequestsAndItsDropsAreCounted() throws Exception {
        try (var h = ProxyHarness.start(Map.of("NCP_VISUALIZATION_BUFFER", Integer.toString(BUFFER)))) {
            for (int i = 0; i < 2 * REQUESTS + 10; i++) { // warm-up, without, with
                h.upstream().enqueue(Script.fixture("text-then-tool-call.sse"));
            }
            timeRequests(h, 10); // warm up: JIT, connection pools
            long without = median(timeRequests(h, REQUESTS));

            long publishedBefore = status(h).path("published").asLong();
            try (Socket stuck = connectAndNeverRead(h)) {
                // A burst of events (as from many busy requests at once) overruns what the stuck subscriber can
                // take: it only ever gets what trickles into the socket's few kilobytes of kernel buffers.
                VisualizationBus bus = h.server().observability().bus();
                awaitSubscribed(bus);
                for (int i = 0; i < FLOOD; i++) {
                    bus.publish("req_flood", new VisualEvent.UsageSnapshot(i, i, 0));
                }
                long with = median(timeRequests(h, REQUESTS));

                JsonNode status = status(h);
                assertEquals(1, status.path("subscribers").asInt(), status.toString());
                JsonNode subscription = status.path("subscriptions").get(0);
                long delivered = subscription.path("delivered").asLong();
                long dropped = subscription.path("dropped").asLong();
                long waiting = subscription.path("backlog").asLong();
                long offered = status.path("published").asLong() - publishedBefore + BUFFER / 2; // + the replay
                assertEquals(offered, delivered + dropped + waiting,
                        "every event is delivered, dropped or waiting: " + status);
                assertTrue(dropped > offered / 2, "most events were dropped for the stuck subscriber: " + status);
                assertEquals(dropped, status.path("dropped").asLong(), "and counted in the total: " + status);
                assertTrue(waiting <= BUFFER, status.toString());

                System.out.printf("slow subscriber: median request %.1f ms without it, %.1f ms with it; %d of %d "
                        + "events dropped for it%n", without / 1e6, with / 1e6, dropped, offered);
                // Publishing never waits for a subscriber, so the median request takes about as long with the
                // stuck one as without. The bound is relative — a request that waited on the subscriber would take
                // its send timeout (seconds) — with 20 ms of slack for a shared machine's scheduling noise.
                assertTrue(with <= without * 3 / 2 + MEDIAN_SLACK_NANOS, "median request took " + with / 1_000_000
                        + " ms with a stuck subscriber, " + without / 1_000_000 + " ms without");
                assertTrue(stuck.isConnected());
            }
        }
    }

    /** The server subscribes a websocket just after its handshake answer; wait (bounded) for that. */
    private static void awaitSubscribed(VisualizationBus bus) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (bus.subscribers().isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the websocket was never subscribed");
            Thread.sleep(5);
        }
    }

    private static JsonNode status(ProxyHarness h) {
        return Wire.send(h, "GET", "/v1/stream/visualization", Map.of(), null).json();
    }

    private static long[] timeRequests(ProxyHarness h, int n) {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            Wire.Reply reply = Wire.post(h, "/v1/messages", STREAM);
            nanos[i] = System.nanoTime() - start;
            assertEquals(200, reply.status(), reply.text());
            assertTrue(reply.text().contains("event: message_stop"), reply.text());
        }
        return nanos;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Opens the websocket by hand with a tiny receive window, reads the 101 answer, and then never reads again. */
    private static Socket connectAndNeverRead(ProxyHarness h) throws IOException {
        var uri = java.net.URI.create(h.baseUrl());
        var socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
        socket.setSoTimeout(5000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /ws/stream-visualization HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        var head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed the connection during the handshake: " + head);
            }
            head.write(b);
        }
        String response = head.toString(StandardCharsets.US_ASCII);
        assertTrue(response.startsWith("HTTP/1.1 101"), response);
        return socket;
    }
}
