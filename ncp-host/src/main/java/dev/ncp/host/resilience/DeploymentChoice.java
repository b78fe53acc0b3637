package dev.ncp.host.resilience;

import dev.ncp.api.error.ErrorType;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.upstream.Balancer;
import dev.ncp.host.upstream.Deployments;
import dev.ncp.host.upstream.Upstream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Which deployment of a model one answer's next attempt goes to: the {@link Balancer}'s choice among the model's
 * deployments not tried yet by this answer whose breaker grants a permission (one refusing is passed over and the
 * next best asked). For a translated answer only deployments a translated request can go to count: a Messages API
 * upstream takes its model's requests directly; the pass-through chooses among those ({@link #among}). Belongs to
 * one answer; used from its thread only.
 */
public final class DeploymentChoice {

    /** A deployment chosen, with its breaker's permission for the call. */
    public record Pick(Upstream upstream, DeploymentBreakers.Permit permit) {
    }

    private final Function<String, List<Upstream>> candidates;
    private final Balancer balancer;
    private final DeploymentBreakers breakers;
    /** What the overloaded refusal advises besides waiting: the fallback models where the answer has them. */
    private final String advice;
    private final Set<Upstream> tried = new HashSet<>();

    DeploymentChoice(Deployments deployments, Balancer balancer, DeploymentBreakers breakers) {
        this(model -> translatable(deployments.forModel(model)), balancer, breakers,
                ", or configure fallback models (NCP_FALLBACK_MODELS)");
    }

    private DeploymentChoice(Function<String, List<Upstream>> candidates, Balancer balancer,
                             DeploymentBreakers breakers, String advice) {
        this.candidates = candidates;
        this.balancer = balancer;
        this.breakers = breakers;
        this.advice = advice;
    }

    /** A choice among {@code deployments} of one model (a pass-through's Messages API upstreams: no fallbacks). */
    public static DeploymentChoice among(List<Upstream> deployments, Balancer balancer, DeploymentBreakers breakers) {
        List<Upstream> fixed = List.copyOf(deployments);
        return new DeploymentChoice(model -> fixed, balancer, breakers, "");
    }

    /** Every deployment may be chosen again: a new model, a retry after backoff, a reduced max_tokens. */
    void startOver() {
        tried.clear();
    }

    /** Whether a translated request can go to {@code model} at all. */
    boolean servable(String model) {
        return !candidates.apply(model).isEmpty();
    }

    /** Whether {@code model} has more than one deployment to move a failed attempt to. */
    boolean hasOthers(String model) {
        return candidates.apply(model).size() > 1;
    }

    /** The best deployment of {@code model} not tried yet whose breaker lets a call through; empty when none. */
    public Optional<Pick> next(String model) {
        List<Upstream> candidates = this.candidates.apply(model);
        Set<Upstream> passedOver = new HashSet<>(tried);
        while (true) {
            Optional<Upstream> best = balancer.choose(candidates, passedOver, u -> true);
            if (best.isEmpty()) {
                return Optional.empty();
            }
            Optional<DeploymentBreakers.Permit> granted = breakers.tryAcquire(best.get().name(), model);
            if (granted.isPresent()) {
                tried.add(best.get());
                return Optional.of(new Pick(best.get(), granted.get()));
            }
            passedOver.add(best.get());
        }
    }

    /** Panic mode: the least loaded deployment of {@code model}, whatever its breaker says. */
    Pick anyway(String model) {
        Upstream target = balancer.leastLoaded(candidates.apply(model)).orElseThrow();
        tried.add(target);
        return new Pick(target, breakers.panicProbe(target.name(), model));
    }

    /**
     * The refusal of a model whose every deployment is open: overloaded, as Anthropic answers when it sheds load,
     * with a {@code retry-after} of the shortest open time left among them, so a client backs off exactly as long
     * as needed.
     */
    public ApiError refusal(String model) {
        List<Upstream> on = candidates.apply(model);
        long millis = on.stream().mapToLong(u -> breakers.remainingOpen(u.name(), model).toMillis())
                .filter(ms -> ms > 0).min().orElse(1000);
        long seconds = Math.max(1, (millis + 999) / 1000);
        String where = on.size() == 1 ? "" : " on every upstream serving it ("
                + String.join(", ", on.stream().map(Upstream::name).toList()) + ")";
        return new ApiError(ErrorType.OVERLOADED, 529, "The upstream model '" + model + "' failed too often"
                + where + ", so ncp stopped calling it for " + seconds + " s (circuit breaker open). Retry after"
                + " that" + advice + ".",
                Map.of("retry-after", String.valueOf(seconds)));
    }

    /**
     * The refusal of a model none of whose deployments not tried yet has room under its own {@code rpm} or
     * {@code max_concurrent_streams} (some may be open besides): a rate limit, ncp's own, with the {@code
     * retry-after} of the first to have room again. Empty when a deployment has room (then breakers refused).
     */
    public Optional<ApiError> atLimit(String model) {
        List<Upstream> full = candidates.apply(model).stream().filter(u -> !tried.contains(u))
                .filter(u -> u.secondsUntilRoom() > 0).toList();
        if (full.isEmpty()) {
            return Optional.empty();
        }
        long seconds = full.stream().mapToLong(Upstream::secondsUntilRoom).min().orElse(1);
        return Optional.of(new ApiError(ErrorType.RATE_LIMIT, 429, "The upstream model '" + model + "' is at ncp's"
                + " limit for " + String.join(", ", full.stream().map(Upstream::name).toList())
                + " (its rpm / max_concurrent_streams under upstreams:); retry after " + seconds + " s.",
                Map.of("retry-after", String.valueOf(seconds))));
    }

    private static List<Upstream> translatable(List<Upstream> all) {
        for (Upstream u : all) {
            if (u.messagesApi()) {
                return all.stream().filter(x -> !x.messagesApi()).toList();
            }
        }
        return all;
    }
}
