package dev.ncp.host.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageSettings;
import dev.ncp.host.config.BreakerSettings;
import dev.ncp.host.storage.MemoryStorageEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The breaker of one deployment decides on the failure rate over its window, not on a count: a deployment failing
 * a fifth of its calls stays closed, one failing most of them opens, a dead one opens after failures in a row; an
 * open breaker lets one probe at a time through after its open time, which doubles while probes fail. Two breaker
 * sets on one ledger (as two ncp instances on one Redis) see each other's state.
 */
class DeploymentBreakersTest {

    private static final String UP = "nim-a";
    private static final String MODEL = "acme/coder";

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<String> heard = new ArrayList<>();
    private final ResilienceEvents events = new ResilienceEvents() {
        @Override
        public void upstreamBreakerTransition(String upstream, String model, BreakerState from, BreakerState to) {
            heard.add(upstream + " " + from.wireName() + "->" + to.wireName());
        }
    };
    private final Storage ledger = new MemoryStorageEngine().open(new StorageSettings(Path.of("."), Map.of()));
    private final BreakerSettings settings = new BreakerSettings(8, 50, 20, Duration.ofSeconds(30),
            Duration.ofSeconds(30), Duration.ofSeconds(300), 10);

    private DeploymentBreakers breakers() {
        return new DeploymentBreakers(settings, ledger, now::get, events);
    }

    private static void call(DeploymentBreakers b, boolean fails) {
        DeploymentBreakers.Permit p = b.tryAcquire(UP, MODEL).orElseThrow();
        if (fails) {
            p.failure();
        } else {
            p.success();
        }
    }

    @Test
    void aFifthOfCallsFailingKeepsTheBreakerClosed() {
        var b = breakers();
        for (int i = 0; i < 500; i++) {
            call(b, i % 5 == 0);
        }
        assertEquals(BreakerState.CLOSED, b.state(UP, MODEL));
    }

    @Test
    void halfTheCallsFailingOpensItOnceTheWindowHasEnoughCalls() {
        var b = breakers();
        for (int i = 0; i < 19; i++) {
            call(b, i % 2 == 0); // 10 of 19 failed: above the rate, below the volume
        }
        assertEquals(BreakerState.CLOSED, b.state(UP, MODEL));
        call(b, true); // 11 of 20
        assertEquals(BreakerState.OPEN, b.state(UP, MODEL));
        assertTrue(b.tryAcquire(UP, MODEL).isEmpty(), "open: no call goes through");
        assertEquals(Duration.ofSeconds(30), b.remainingOpen(UP, MODEL));
        assertEquals(List.of("nim-a closed->open"), heard);
    }

    @Test
    void failuresInARowOpenItWithoutWaitingForTheVolume() {
        var b = breakers();
        for (int i = 0; i < 7; i++) {
            call(b, true);
        }
        call(b, false); // a success breaks the row
        for (int i = 0; i < 7; i++) {
            call(b, true);
        }
        assertEquals(BreakerState.CLOSED, b.state(UP, MODEL));
        call(b, true);
        assertEquals(BreakerState.OPEN, b.state(UP, MODEL));
    }

    @Test
    void oneProbeAtATimeAndTheOpenTimeDoublesWhileProbesFail() {
        var b = breakers();
        for (int i = 0; i < 8; i++) {
            call(b, true);
        }
        now.addAndGet(30_000);
        assertEquals(BreakerState.HALF_OPEN, b.state(UP, MODEL));
        DeploymentBreakers.Permit probe = b.tryAcquire(UP, MODEL).orElseThrow();
        assertTrue(b.tryAcquire(UP, MODEL).isEmpty(), "a second probe waits for the first");
        probe.failure();
        assertEquals(BreakerState.OPEN, b.state(UP, MODEL));
        assertEquals(Duration.ofSeconds(60), b.remainingOpen(UP, MODEL));
        now.addAndGet(60_000);
        b.tryAcquire(UP, MODEL).orElseThrow().failure();
        assertEquals(Duration.ofSeconds(120), b.remainingOpen(UP, MODEL));
        now.addAndGet(120_000);
        b.tryAcquire(UP, MODEL).orElseThrow().success();
        assertEquals(BreakerState.CLOSED, b.state(UP, MODEL));
        assertEquals(List.of("nim-a closed->open", "nim-a open->half_open", "nim-a half_open->open",
                "nim-a open->half_open", "nim-a half_open->open", "nim-a open->half_open", "nim-a half_open->closed"),
                heard);
    }

    @Test
    void aReleasedProbeLetsTheNextOneThrough() {
        var b = breakers();
        for (int i = 0; i < 8; i++) {
            call(b, true);
        }
        now.addAndGet(30_000);
        b.tryAcquire(UP, MODEL).orElseThrow().release(); // a 429 or a client that left says nothing
        assertTrue(b.tryAcquire(UP, MODEL).isPresent());
    }

    @Test
    void anotherInstanceOnTheSameLedgerSeesTheBreakerOpenAndTakesNoSecondProbe() {
        var first = breakers();
        var second = breakers();
        for (int i = 0; i < 8; i++) {
            call(first, true);
        }
        assertTrue(second.tryAcquire(UP, MODEL).isEmpty(), "open for the other instance too");
        now.addAndGet(30_000);
        var probe = first.tryAcquire(UP, MODEL).orElseThrow();
        assertTrue(second.tryAcquire(UP, MODEL).isEmpty(), "the probe is taken, across instances");
        probe.success();
        assertTrue(second.tryAcquire(UP, MODEL).isPresent());
    }

    @Test
    void panicModeLetsEveryTenthRefusedRequestThrough() {
        var b = breakers();
        int allowed = 0;
        for (int i = 0; i < 100; i++) {
            allowed += b.panicAllowed() ? 1 : 0;
        }
        assertEquals(10, allowed);
        assertFalse(breakers().panicAllowed(), "not the first: a burst that opened everything is refused fast");
    }

    @Test
    void aPanicProbeThatSucceedsClosesTheBreaker() {
        var b = breakers();
        for (int i = 0; i < 8; i++) {
            call(b, true);
        }
        b.panicProbe(UP, MODEL).success();
        assertEquals(BreakerState.CLOSED, b.state(UP, MODEL));
    }
}
