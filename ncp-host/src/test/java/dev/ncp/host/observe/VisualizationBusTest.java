package dev.ncp.host.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bus hands every event to every subscriber without waiting, dropping (and counting) what a full buffer can't take. */
class VisualizationBusTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anEventIsOneFlatSnakeCaseJsonObject() throws Exception {
        var bus = new VisualizationBus(10, CLOCK);
        BusMessage m = bus.publish("req_1", new VisualEvent.Finish("claude-opus-4-7", "qwen/qwen3-coder", "alias",
                200, "ok", "tool_use", 5210, 48, 12L, 40, 1600.0));
        assertEquals("{\"seq\":1,\"at\":1767323045678,\"request_id\":\"req_1\",\"type\":\"finish\",\"lane\":\"lifecycle\","
                + "\"requested\":\"claude-opus-4-7\",\"model\":\"qwen/qwen3-coder\",\"route\":\"alias\",\"status\":200,"
                + "\"outcome\":\"ok\",\"stop_reason\":\"tool_use\",\"input_tokens\":5210,\"output_tokens\":48,"
                + "\"ttft_ms\":12,\"duration_ms\":40,\"tokens_per_second\":1600.0}", m.json());
        JsonNode failed = JSON.readTree(bus.publish("req_1", new VisualEvent.Failed("overloaded_error", 529, null))
                .json());
        assertTrue(failed.path("message").isMissingNode(), "null fields are left out: " + failed);
        assertEquals("diagnostics", failed.path("lane").asText());
    }

    @Test
    void aSubscriberThatDoesNotReadLosesOnlyWhatItsBufferCannotHoldAndEveryLossIsCounted() throws Exception {
        var bus = new VisualizationBus(4, CLOCK);
        BusSubscription reader = bus.subscribe("reader");
        BusSubscription stuck = bus.subscribe("stuck");
        var read = new ArrayList<Long>();
        for (int i = 1; i <= 10; i++) {
            bus.publish("req_" + i, new VisualEvent.FirstToken(i));
            read.add(reader.poll(0).seq());
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), read);
        assertEquals(0, reader.dropped());
        assertEquals(6, stuck.dropped());
        assertEquals(4, stuck.backlog());
        assertEquals(6, bus.dropped());
        assertEquals(10, bus.published());
        List<Long> kept = new ArrayList<>();
        for (BusMessage m; (m = stuck.poll(0)) != null; ) {
            kept.add(m.seq());
        }
        assertEquals(List.of(1L, 2L, 3L, 4L), kept, "the oldest are kept; the subscriber sees a gap after them");
    }

    @Test
    void publishingDoesNotWaitForAFullSubscriber() {
        var bus = new VisualizationBus(1, CLOCK);
        bus.subscribe("never reads");
        long start = System.nanoTime();
        for (int i = 0; i < 100_000; i++) {
            bus.publish("req", new VisualEvent.FirstToken(i));
        }
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "100,000 publishes to a full subscriber took too long");
        assertEquals(99_999, bus.dropped());
    }

    @Test
    void aNewSubscriberGetsRecentHistoryUpToHalfItsBufferAndNothingTwice() throws Exception {
        var bus = new VisualizationBus(8, CLOCK);
        for (int i = 1; i <= 20; i++) {
            bus.publish("req", new VisualEvent.FirstToken(i));
        }
        BusSubscription late = bus.subscribe("late");
        bus.publish("req", new VisualEvent.FirstToken(21));
        var seqs = new ArrayList<Long>();
        for (BusMessage m; (m = late.poll(0)) != null; ) {
            seqs.add(m.seq());
        }
        assertEquals(List.of(17L, 18L, 19L, 20L, 21L), seqs);
        assertEquals(0, late.dropped());
    }

    @Test
    void aClosedSubscriptionLeavesTheBus() throws Exception {
        var bus = new VisualizationBus(8, CLOCK);
        BusSubscription s = bus.subscribe("tab");
        assertEquals(1, bus.subscribers().size());
        s.close();
        bus.publish("req", new VisualEvent.FirstToken(1));
        assertEquals(0, bus.subscribers().size());
        assertNull(s.poll(0));
        assertEquals(0, bus.dropped());
    }

    @Test
    void aFilteredSubscriberGetsOnlyWhatItMaySeeLiveAndFromTheHistoryAndPassingOverIsNoDrop() throws Exception {
        var bus = new VisualizationBus(4, CLOCK);
        bus.publish("req_a1", "key:alice", new VisualEvent.FirstToken(1));
        bus.publish("req_b1", "key:bob", new VisualEvent.FirstToken(2));
        BusSubscription alice = bus.subscribe("alice", m -> "key:alice".equals(m.principal()));
        for (int i = 0; i < 10; i++) {
            bus.publish("req_b" + (i + 2), "key:bob", new VisualEvent.FirstToken(i)); // more than alice's buffer
        }
        bus.publish("-", new VisualEvent.BreakerChange("qwen/qwen3-coder", "closed", "open")); // no one's request
        bus.publish("req_a2", "key:alice", new VisualEvent.FirstToken(3));

        List<String> seen = new ArrayList<>();
        for (BusMessage m = alice.poll(0); m != null; m = alice.poll(0)) {
            seen.add(m.requestId());
        }
        assertEquals(List.of("req_a1", "req_a2"), seen);
        assertEquals(0, alice.dropped());
        assertEquals(0, bus.dropped());
    }
}
