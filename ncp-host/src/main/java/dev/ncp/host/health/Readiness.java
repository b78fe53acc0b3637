package dev.ncp.host.health;

import dev.ncp.api.storage.Storage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether ncp can answer Messages requests now: its storage is usable and its upstream accepts connections. The
 * verdict is kept for {@link #CACHE} so that probes from a supervisor (and several replicas' load balancers) cost at
 * most one storage health call and one TCP connect per few seconds.
 */
public final class Readiness {

    /** How long one verdict is reused; short enough that a returning upstream is noticed within seconds. */
    public static final Duration CACHE = Duration.ofSeconds(2);

    /** Ready, or not and why. */
    public record Verdict(Optional<String> problem, Instant at) {
        public boolean ready() {
            return problem.isEmpty();
        }
    }

    private final Storage storage;
    private final Supplier<Optional<String>> upstream;
    private final Clock clock;
    private volatile Verdict last;

    public Readiness(Storage storage, Supplier<Optional<String>> upstream, Clock clock) {
        this.storage = storage;
        this.upstream = upstream;
        this.clock = clock;
    }

    public Verdict verdict() {
        Verdict cached = last;
        Instant now = clock.instant();
        if (cached != null && cached.at().plus(CACHE).isAfter(now)) {
            return cached;
        }
        Verdict fresh = new Verdict(check(), now);
        last = fresh;
        return fresh;
    }

    private Optional<String> check() {
        boolean storageHealthy;
        try {
            storageHealthy = storage.health().healthy();
        } catch (RuntimeException e) {
            storageHealthy = false;
        }
        if (!storageHealthy) {
            return Optional.of("storage is not usable");
        }
        return upstream.get();
    }
}
