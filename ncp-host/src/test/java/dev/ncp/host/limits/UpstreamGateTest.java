package dev.ncp.host.limits;

import static dev.ncp.host.testing.HttpCalls.header;
import static dev.ncp.host.testing.HttpCalls.messagesBody;
import static dev.ncp.host.testing.HttpCalls.postMessages;
import static dev.ncp.host.testing.HttpCalls.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageSettings;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.storage.Leases;
import dev.ncp.host.storage.MemoryStorageEngine;
import dev.ncp.host.storage.StorageDegradation;
import dev.ncp.host.testing.HttpCalls;
import dev.ncp.host.testing.PrometheusText;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The upstream protection: requests per minute and concurrent streams, waited for or refused. */
class UpstreamGateTest {

    /** A clock that moves only when the gate sleeps. */
    private static final class SteppingClock extends Clock {
        Instant now;
        final List<Duration> sleeps = new ArrayList<>();

        SteppingClock(Instant start) {
            now = start;
        }

        void sleep(Duration d) {
            sleeps.add(d);
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final Storage storage = new MemoryStorageEngine().open(new StorageSettings(Path.of("."), Map.of()));
    private final StorageDegradation degradation = new StorageDegradation(Clock.systemUTC());
    private final Leases leases = new Leases(storage, degradation);
    private final SteppingClock clock = new SteppingClock(Instant.parse("2026-01-05T12:00:50Z"));
    private final List<String> rejected = new ArrayList<>();

    @AfterEach
    void close() {
        leases.close();
        storage.close();
    }

    private UpstreamGate gate(int rpm, int streams, Duration maxWait) {
        return new UpstreamGate(storage, leases, degradation, rpm, streams, maxWait, clock, clock::sleep,
                rejected::add, ctx -> { });
    }

    @Test
    void aRequestOverTheMinuteBudgetWaitsForTheNextMinuteWhenThatComesBeforeItsDeadline() throws Exception {
        var gate = gate(2, 0, Duration.ofSeconds(30));
        Instant deadline = clock.instant().plusSeconds(30);
        gate.awaitMinuteBudget(deadline);
        gate.awaitMinuteBudget(deadline);
        assertEquals(List.of(), clock.sleeps);
        gate.awaitMinuteBudget(deadline);
        assertEquals(List.of(Duration.ofSeconds(10)), clock.sleeps, "waited out the rest of 12:00");
        gate.awaitMinuteBudget(deadline);
        assertEquals(1, clock.sleeps.size(), "the new minute has room for one more");
    }

    @Test
    void aRequestOverTheMinuteBudgetIsRefusedAtOnceWhenTheMinuteEndsAfterItsDeadline() throws Exception {
        var gate = gate(1, 0, Duration.ofSeconds(5));
        gate.awaitMinuteBudget(clock.instant().plusSeconds(5));
        var e = assertThrows(ApiError.class, () -> gate.awaitMinuteBudget(clock.instant().plusSeconds(5)));
        assertEquals(429, e.status());
        assertEquals("rate_limit_error", e.type().wireName());
        assertEquals("10", e.headers().get("retry-after"));
        assertTrue(e.getMessage().contains("NCP_UPSTREAM_RPM"), e.getMessage());
        assertEquals(List.of(), clock.sleeps);
        assertEquals(List.of("upstream"), rejected, "counted in ncp_rate_limit_rejections_total");
    }

    @Test
    void streamSlotsAreCappedAndAFreedSlotIsTakenByTheNextRequest() throws Exception {
        var gate = gate(0, 2, Duration.ZERO);
        var first = gate.acquireSlot(clock.instant()).orElseThrow();
        gate.acquireSlot(clock.instant()).orElseThrow();
        var e = assertThrows(ApiError.class, () -> gate.acquireSlot(clock.instant()));
        assertEquals(429, e.status());
        assertTrue(e.getMessage().contains("NCP_MAX_CONCURRENT_STREAMS"), e.getMessage());
        assertEquals(List.of("upstream"), rejected);
        first.release();
        assertTrue(gate.acquireSlot(clock.instant()).isPresent());
    }

    @Test
    void aRequestWaitsForAStreamSlotUntilItsDeadline() throws Exception {
        var gate = gate(0, 1, Duration.ofSeconds(2));
        gate.acquireSlot(clock.instant()).orElseThrow();
        assertThrows(ApiError.class, () -> gate.acquireSlot(clock.instant().plusSeconds(2)));
        Duration waited = clock.sleeps.stream().reduce(Duration.ZERO, Duration::plus);
        assertEquals(Duration.ofSeconds(2), waited, "polled with backoff up to the deadline, not beyond");
    }

    @Test
    void throughTheProxyTheUpstreamMinuteBudgetRefusesWithRetryAfter() {
        try (var h = ProxyHarness.start(Map.of("NCP_UPSTREAM_RPM", "1", "NCP_UPSTREAM_MAX_WAIT_SECONDS", "0"))) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            HttpCalls.awaitRoomInCurrentMinute(Duration.ofSeconds(10));
            assertEquals(200, postMessages(h.baseUrl(), messagesBody(false, "Hi"), Map.of()).statusCode());
            HttpResponse<byte[]> refused = postMessages(h.baseUrl(), messagesBody(true, "Hi"), Map.of());
            assertEquals(429, refused.statusCode(), text(refused));
            assertTrue(text(refused).contains("rate_limit_error"), text(refused));
            assertTrue(Long.parseLong(header(refused, "retry-after")) >= 1);
            assertEquals(1, h.upstream().requests().size());
            PrometheusText metrics = PrometheusText.parse(text(HttpCalls.get(h.baseUrl(), "/metrics", Map.of())));
            assertEquals(1, metrics.sum("ncp_rate_limit_rejections_total", "scope", "upstream"));
        }
    }

    @Test
    void throughTheProxyASecondConcurrentStreamWaitsForTheFirstToFinish() throws Exception {
        try (var h = ProxyHarness.start(Map.of("NCP_MAX_CONCURRENT_STREAMS", "1"))) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse").delayHeaders(Duration.ofMillis(800)));
            h.upstream().enqueue(Script.fixture("text-then-tool-call.sse"));
            var first = CompletableFuture.supplyAsync(() -> postMessages(h.baseUrl(), messagesBody(true, "1"), Map.of()));
            while (h.upstream().requests().isEmpty()) {
                Thread.sleep(10);
            }
            long start = System.nanoTime();
            HttpResponse<byte[]> second = postMessages(h.baseUrl(), messagesBody(true, "2"), Map.of());
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;

            assertEquals(200, first.get().statusCode());
            assertEquals(200, second.statusCode(), text(second));
            assertTrue(text(second).contains("tool_use"), "the second got the second answer");
            assertTrue(waitedMillis >= 500, "the second stream waited for the slot: " + waitedMillis + " ms");
            assertEquals(2, h.upstream().requests().size());
        }
    }

    @Test
    void throughTheProxyABusySlotWithNoWaitAllowedIsA429() throws Exception {
        try (var h = ProxyHarness.start(Map.of("NCP_MAX_CONCURRENT_STREAMS", "1",
                "NCP_UPSTREAM_MAX_WAIT_SECONDS", "0"))) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse").delayHeaders(Duration.ofMillis(800)));
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            var first = CompletableFuture.supplyAsync(() -> postMessages(h.baseUrl(), messagesBody(true, "1"), Map.of()));
            while (h.upstream().requests().isEmpty()) {
                Thread.sleep(10);
            }
            HttpResponse<byte[]> refused = postMessages(h.baseUrl(), messagesBody(false, "2"), Map.of());
            assertEquals(429, refused.statusCode(), text(refused));
            assertTrue(text(refused).contains("stream slots"), text(refused));
            assertEquals(200, first.get().statusCode());
            assertEquals(200, postMessages(h.baseUrl(), messagesBody(false, "3"), Map.of()).statusCode(),
                    "the slot is free again once the first answer ended");
        }
    }
}
