package dev.ncp.host.upstream;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Chooses which of a model's deployments gets the next attempt: weighted least outstanding requests. Each usable
 * upstream (breaker closed, within its own limits, not yet tried by this answer) counts with an effective weight of
 * {@code weight / (outstanding + 1)} — its configured share, divided by the answers it is carrying right now — and
 * the choice among them is smooth weighted round robin over those effective weights (nginx's algorithm; Envoy's
 * least-request balancer with weights works the same way): every candidate earns its effective weight in credit,
 * the richest is chosen and pays the total. At low load (nothing in flight) requests spread exactly by weight, in
 * an even interleaving; under load a replica stuck on long answers gets proportionally less new work at once.
 *
 * <p>Why this policy rather than plain round robin or latency-weighted routing: streamed answers last from a second
 * to minutes, so the number in flight is the load a replica carries right now; round robin ignores it and keeps
 * feeding a replica that is stuck, and latency averages lag behind by the length of an answer. Unlike "fewest
 * picks so far" it keeps no history, so a replica back from an open breaker gets its share, not a catch-up burst.
 * It costs one short pass over a handful of counters under a lock ({@code BalancerBench} measures it).
 */
public final class Balancer {

    /**
     * The upstream for the next attempt among {@code candidates}, skipping those in {@code tried} and those
     * {@code usable} refuses; empty when none is left.
     */
    public Optional<Upstream> choose(List<Upstream> candidates, Set<Upstream> tried, Predicate<Upstream> usable) {
        if (candidates.size() == 1) { // the common case, a model on one upstream: nothing to weigh
            Upstream only = candidates.get(0);
            return !tried.contains(only) && only.hasRoom() && usable.test(only) ? Optional.of(only)
                    : Optional.empty();
        }
        synchronized (this) {
            Upstream best = null;
            double total = 0;
            for (Upstream u : candidates) {
                if (tried.contains(u) || !u.hasRoom() || !usable.test(u)) {
                    continue;
                }
                double effective = u.weight() / (double) (u.outstanding() + 1);
                u.credit += effective;
                total += effective;
                if (best == null || u.credit > best.credit) {
                    best = u;
                }
            }
            if (best != null) {
                best.credit -= total;
            }
            return Optional.ofNullable(best);
        }
    }

    /** The least loaded of {@code candidates}, whatever their breakers say (panic mode); empty for none. */
    public Optional<Upstream> leastLoaded(List<Upstream> candidates) {
        return choose(candidates, Set.of(), u -> true).or(() -> candidates.stream().findFirst());
    }
}
