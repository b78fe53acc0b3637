package dev.ncp.host.resilience;

import dev.ncp.api.storage.Storage;
import dev.ncp.host.config.BreakerSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One circuit breaker per deployment — a model on one upstream — deciding on the failure <em>rate</em>, not a
 * count: a deployment opens when at least {@code NCP_BREAKER_FAILURE_RATE} % of its calls in the window failed, once
 * the window holds {@code NCP_BREAKER_MIN_CALLS} calls; or at once after {@code NCP_BREAKER_FAILURES} counted failures
 * in a row (a dead upstream, refusing or timing out every call, need not wait for the volume). An upstream that
 * fails a fifth of its answers keeps serving the other four fifths.
 *
 * <p>Open, it refuses calls for {@code NCP_BREAKER_OPEN_SECONDS}; then one probe call at a time goes through
 * (half-open): its success closes the breaker, its failure opens it again for twice as long, up to
 * {@code NCP_BREAKER_MAX_OPEN_SECONDS}.
 *
 * <p>The state lives in a {@link Storage} through its primitives only ({@link BreakerLedger} lays it out). With
 * Redis every ncp instance shares it: one instance's failures open the breaker for all, and one probe at a time is
 * taken across all. Otherwise it is an in-process memory store. A store that fails lets calls through: breakers
 * protect the upstream, they must not become an outage of their own.
 *
 * <p>Each instance reports a state change when it first sees it (its own calls made it, or another instance's
 * did), so metrics and dashboards of every instance follow the shared state.
 */
public final class DeploymentBreakers {

    private static final Logger log = LoggerFactory.getLogger(DeploymentBreakers.class);

    /** A permission to call a deployment; settle it exactly once (later calls are ignored). */
    public interface Permit {
        void success();

        /** A counted failure: connect error, timeout, 5xx, a broken or truncated stream. */
        void failure();

        /** The call's outcome says nothing about the deployment's health (4xx, 429, client gone). */
        void release();
    }

    private static final Permit FREE = new Permit() {
        @Override
        public void success() {
        }

        @Override
        public void failure() {
        }

        @Override
        public void release() {
        }
    };

    private final BreakerSettings settings;
    private final BreakerLedger ledger;
    private final ResilienceEvents events;
    private final Map<String, BreakerState> seen = new ConcurrentHashMap<>();
    private final AtomicLong panics = new AtomicLong();

    /**
     * @param ledger where the state lives: the shared store (Redis) or an in-process memory store
     * @param millis wall-clock milliseconds (open-until times are compared across instances)
     * @param events hears every state change this instance sees
     */
    public DeploymentBreakers(BreakerSettings settings, Storage ledger, LongSupplier millis,
                              ResilienceEvents events) {
        this.settings = settings;
        this.ledger = new BreakerLedger(settings, ledger, millis);
        this.events = events;
    }

    /** The breaker name of {@code model} on {@code upstream}, as /health and the storage keys show it. */
    public static String name(String upstream, String model) {
        return upstream + "|" + model;
    }

    /**
     * Lists the breaker of {@code model} on {@code upstream} in {@link #snapshot()} before this instance calls it, so
     * a configured deployment shows its state (perhaps opened by another instance) from the start.
     */
    public void watch(String upstream, String model) {
        seen.putIfAbsent(name(upstream, model), BreakerState.CLOSED);
    }

    /**
     * A permission to call {@code model} on {@code upstream}; empty while its breaker is open, or half-open with its
     * probe taken (by this instance or another).
     */
    public Optional<Permit> tryAcquire(String upstream, String model) {
        if (!settings.enabled()) {
            return Optional.of(FREE);
        }
        String name = name(upstream, model);
        BreakerLedger.Reading r = read(name);
        switch (r.state()) {
            case CLOSED -> {
                return Optional.of(new Counted(name, false));
            }
            case OPEN -> {
                return Optional.empty();
            }
            default -> {
                if (!ledger.claimProbe(name)) {
                    return Optional.empty();
                }
                return Optional.of(new Probe(name, r.level()));
            }
        }
    }

    /**
     * A permission to call a deployment whose breaker is open, because every candidate of a request is (panic
     * mode): counted like any call, and its success closes the breaker as a probe's would; its failure does not
     * lengthen the open period (that is the half-open probe's to decide).
     */
    public Permit panicProbe(String upstream, String model) {
        return new Counted(name(upstream, model), true);
    }

    /**
     * Whether this request, refused by every candidate, is one of the {@code NCP_BREAKER_PANIC_PERCENT} % let
     * through anyway — every n-th such request (not the first: a burst that just opened every breaker is refused
     * fast), so the share holds exactly at any rate.
     */
    public boolean panicAllowed() {
        int percent = settings.panicPercent();
        if (percent <= 0) {
            return false;
        }
        long every = Math.max(1, Math.round(100.0 / percent));
        return panics.incrementAndGet() % every == 0;
    }

    /** The state of {@code model}'s breaker on {@code upstream}. */
    public BreakerState state(String upstream, String model) {
        return settings.enabled() ? read(name(upstream, model)).state() : BreakerState.CLOSED;
    }

    /** How long {@code model}'s breaker on {@code upstream} still refuses calls (zero unless open). */
    public Duration remainingOpen(String upstream, String model) {
        BreakerLedger.Reading r = read(name(upstream, model));
        return r.state() == BreakerState.OPEN ? Duration.ofMillis(Math.max(0, r.openUntilMillis() - ledger.now()))
                : Duration.ZERO;
    }

    /** The first open period; doubled per failed probe. */
    public Duration openFor() {
        return settings.openFor();
    }

    /**
     * Every breaker this instance has seen, for {@code /health}: its state, open time left and reopen count, by
     * model for the default upstream (as before named upstreams) and by {@code upstream|model} for a named one.
     */
    public Map<String, Map<String, Object>> snapshot() {
        var all = new TreeMap<String, Map<String, Object>>();
        for (String name : seen.keySet()) {
            BreakerLedger.Reading r = read(name);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("state", r.state().wireName());
            entry.put("upstream", name.substring(0, name.indexOf('|')));
            entry.put("model", name.substring(name.indexOf('|') + 1));
            if (r.state() == BreakerState.OPEN) {
                entry.put("open_for_ms", Math.max(0, r.openUntilMillis() - ledger.now()));
            }
            entry.put("times_reopened", r.level());
            all.put(name.startsWith("default|") ? name.substring("default|".length()) : name, entry);
        }
        return all;
    }

    private BreakerLedger.Reading read(String name) {
        BreakerLedger.Reading r = ledger.read(name);
        observed(name, r.state());
        return r;
    }

    private void observed(String name, BreakerState now) {
        BreakerState before = seen.put(name, now);
        if (before == null ? now != BreakerState.CLOSED : before != now) {
            int bar = name.indexOf('|');
            events.upstreamBreakerTransition(name.substring(0, bar), name.substring(bar + 1),
                    before == null ? BreakerState.CLOSED : before, now);
        }
    }

    private void open(String name, int level, boolean onlyIfClosed) {
        ledger.open(name, level, onlyIfClosed).ifPresent(openFor -> log.warn("circuit breaker of {} opened for {} s{}",
                name, openFor.toSeconds(), level > 0 ? " (its probe failed, " + level + " time(s) in a row)" : ""));
        read(name);
    }

    private void close(String name) {
        ledger.close(name);
        read(name);
    }

    private void count(String name, boolean failed) {
        if (ledger.countTrips(name, failed)) {
            open(name, 0, true);
        }
    }

    /** A call while closed, or a panic probe (whose success closes the breaker). */
    private final class Counted implements Permit {
        private final String name;
        private final boolean panic;
        private final AtomicBoolean settled = new AtomicBoolean();

        Counted(String name, boolean panic) {
            this.name = name;
            this.panic = panic;
        }

        @Override
        public void success() {
            if (settled.compareAndSet(false, true)) {
                if (panic && read(name).state() != BreakerState.CLOSED) {
                    log.info("circuit breaker of {} closed: a panic-mode call succeeded", name);
                    close(name);
                }
                count(name, false);
            }
        }

        @Override
        public void failure() {
            if (settled.compareAndSet(false, true)) {
                count(name, true);
            }
        }

        @Override
        public void release() {
            settled.set(true);
        }
    }

    /** The one call let through a half-open breaker (or a panic probe of an open one). */
    private final class Probe implements Permit {
        private final String name;
        private final int level;
        private final AtomicBoolean settled = new AtomicBoolean();

        Probe(String name, int level) {
            this.name = name;
            this.level = level;
        }

        @Override
        public void success() {
            if (settled.compareAndSet(false, true)) {
                log.info("circuit breaker of {} closed: its probe call succeeded", name);
                close(name);
            }
        }

        @Override
        public void failure() {
            if (settled.compareAndSet(false, true)) {
                open(name, level + 1, false);
                ledger.releaseProbe(name);
            }
        }

        @Override
        public void release() {
            if (settled.compareAndSet(false, true)) {
                ledger.releaseProbe(name);
            }
        }
    }
}
