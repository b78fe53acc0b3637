package dev.ncp.host.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ModelBreakersTest {

    private static final String MODEL = "org/model";
    private final List<String> transitions = new CopyOnWriteArrayList<>();
    private final ResilienceEvents events = new ResilienceEvents() {
        @Override
        public void breakerTransition(String model, BreakerState from, BreakerState to) {
            transitions.add(model + " " + from.wireName() + "->" + to.wireName());
        }
    };

    private void fail(ModelBreakers breakers) {
        breakers.tryAcquire(MODEL).orElseThrow().failure(new RuntimeException("503"));
    }

    @Test
    void opensAfterTheConfiguredConsecutiveFailuresOnly() {
        var breakers = new ModelBreakers(3, Duration.ofSeconds(30), events);
        fail(breakers);
        fail(breakers);
        breakers.tryAcquire(MODEL).orElseThrow().success(); // breaks the run
        fail(breakers);
        fail(breakers);
        assertEquals(BreakerState.CLOSED, breakers.state(MODEL));
        fail(breakers);
        assertEquals(BreakerState.OPEN, breakers.state(MODEL));
        assertTrue(breakers.tryAcquire(MODEL).isEmpty(), "an open breaker refuses calls");
        assertTrue(breakers.tryAcquire("org/other").isPresent(), "one breaker per model");
        assertEquals(List.of(MODEL + " closed->open"), transitions);
    }

    @Test
    void releasedCallsDoNotCount() {
        var breakers = new ModelBreakers(2, Duration.ofSeconds(30), events);
        fail(breakers);
        breakers.tryAcquire(MODEL).orElseThrow().release(); // a 429: says nothing about the model's health
        fail(breakers);
        assertEquals(BreakerState.OPEN, breakers.state(MODEL));
    }

    @Test
    void halfOpensAfterTheWaitAndOneTrialDecides() throws InterruptedException {
        var breakers = new ModelBreakers(1, Duration.ofMillis(200), events);
        fail(breakers);
        assertTrue(breakers.tryAcquire(MODEL).isEmpty());
        Thread.sleep(400);
        var trial = breakers.tryAcquire(MODEL).orElseThrow();
        assertEquals(BreakerState.HALF_OPEN, breakers.state(MODEL));
        assertTrue(breakers.tryAcquire(MODEL).isEmpty(), "one trial call at a time");
        trial.failure(new RuntimeException("still down"));
        assertEquals(BreakerState.OPEN, breakers.state(MODEL));

        Thread.sleep(400);
        breakers.tryAcquire(MODEL).orElseThrow().success();
        assertEquals(BreakerState.CLOSED, breakers.state(MODEL));
        assertEquals(List.of(MODEL + " closed->open", MODEL + " open->half_open", MODEL + " half_open->open",
                MODEL + " open->half_open", MODEL + " half_open->closed"), transitions);
    }

    @Test
    void aPermitIsSettledOnce() {
        var breakers = new ModelBreakers(2, Duration.ofSeconds(30), events);
        var permit = breakers.tryAcquire(MODEL).orElseThrow();
        permit.failure(new RuntimeException("1"));
        permit.failure(new RuntimeException("again"));
        assertEquals(BreakerState.CLOSED, breakers.state(MODEL));
    }

    @Test
    void theSnapshotShowsEveryModelCalled() {
        var breakers = new ModelBreakers(1, Duration.ofSeconds(30), events);
        fail(breakers);
        breakers.tryAcquire(MODEL);
        assertEquals(Map.of(MODEL, Map.of("state", "open", "buffered_calls", 1, "failed_calls", 1,
                "not_permitted_calls", 1L)), breakers.snapshot());
    }

    @Test
    void zeroFailuresDisablesBreakers() {
        var breakers = new ModelBreakers(0, Duration.ofSeconds(30), events);
        for (int i = 0; i < 10; i++) {
            fail(breakers);
        }
        assertTrue(breakers.tryAcquire(MODEL).isPresent());
        assertEquals(Map.of(), breakers.snapshot());
    }
}
