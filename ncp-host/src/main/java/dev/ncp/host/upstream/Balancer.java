package dev.ncp.host.upstream;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Chooses which of a model's deployments gets the next attempt: weighted least outstanding requests. Of the usable
 * upstreams (breaker closed, within their own limits, not yet tried by this answer) it takes the one with the
 * fewest answers in flight per unit of weight — {@code (outstanding + 1) / weight} — so a replica that slows down
 * gets less new work at once, without any latency bookkeeping. Ties (the common case at low load, when nothing is
 * in flight) go to the upstream picked least per unit of weight, which spreads a sequence of requests by weight.
 *
 * <p>Why this policy rather than round robin or latency-weighted routing: streamed answers last from a second to
 * minutes, so the number in flight is the load a replica carries right now; round robin ignores it and keeps
 * feeding a replica that is stuck on long answers, and latency averages lag behind by the length of an answer. It
 * costs a pass over a handful of counters ({@code BalancerBench} measures it).
 */
public final class Balancer {

    /**
     * The upstream for the next attempt among {@code candidates}, skipping those in {@code tried} and those
     * {@code usable} refuses (e.g. an open breaker); empty when none is left.
     */
    public Optional<Upstream> choose(List<Upstream> candidates, Set<Upstream> tried, Predicate<Upstream> usable) {
        Upstream best = null;
        double bestLoad = Double.MAX_VALUE;
        double bestPicks = Double.MAX_VALUE;
        for (Upstream u : candidates) {
            if (tried.contains(u) || !u.hasRoom() || !usable.test(u)) {
                continue;
            }
            double load = (u.outstanding() + 1) / (double) u.weight();
            double picks = (u.picks() + 1) / (double) u.weight();
            if (load < bestLoad || (load == bestLoad && picks < bestPicks)) {
                best = u;
                bestLoad = load;
                bestPicks = picks;
            }
        }
        if (best != null) {
            best.picked();
        }
        return Optional.ofNullable(best);
    }

    /** The least loaded of {@code candidates}, whatever their breakers say (panic mode); empty for none. */
    public Optional<Upstream> leastLoaded(List<Upstream> candidates) {
        return choose(candidates, Set.of(), u -> true).or(() -> candidates.stream().findFirst());
    }
}
