package dev.ncp.host.passthrough;

import dev.ncp.api.error.ErrorType;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.observe.RequestTrace;
import dev.ncp.host.resilience.DeploymentBreakers;
import dev.ncp.host.resilience.FailureKind;
import dev.ncp.host.upstream.Balancer;
import dev.ncp.host.upstream.Upstream;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One answer of a model served by Messages API upstreams ({@code protocol: anthropic}), with the resilience a
 * translated answer has across its deployments: the {@link Balancer} picks among those whose breaker grants a call
 * (weighted least outstanding, each within its own rpm and stream cap), and a deployment that fails before the
 * answer's first byte reached the client (connect error, timeout, 5xx, 429) hands the request at once to the next
 * one not tried yet. Each call is an attempt span whose W3C {@code traceparent} goes upstream, and settles its
 * breaker: connect errors, timeouts and 5xx count as failures, 4xx and 429 do not.
 *
 * <p>Unlike a translated answer there are no retries after a backoff and no fallback models: the request names a
 * model only these upstreams serve, untranslated, so when every deployment failed the client gets the most useful
 * of their errors (a rate limit first) and its own retry logic takes over.
 */
final class DeploymentPassThrough {

    private static final Logger LOG = LoggerFactory.getLogger(DeploymentPassThrough.class);

    private final Map<String, AnthropicPassThrough> passThroughs;
    private final Balancer balancer;
    private final DeploymentBreakers breakers;

    DeploymentPassThrough(Map<String, AnthropicPassThrough> passThroughs, Balancer balancer,
                          DeploymentBreakers breakers) {
        this.passThroughs = Map.copyOf(passThroughs);
        this.balancer = balancer;
        this.breakers = breakers;
    }

    /** Answers {@code body} (its model already the upstream id {@code model}) from one of {@code deployments}. */
    void answer(Context ctx, String model, List<Upstream> deployments, byte[] body) throws IOException {
        // Every pass-through of these upstreams reads a body alike: any one of them parses it.
        AnthropicPassThrough any = passThroughs.get(deployments.get(0).name());
        PassThroughRequest request = any.read(body);
        RequestTrace trace = any.begin(ctx, request);
        AnthropicPassThrough.checkAllowed(ctx, request);
        Set<Upstream> tried = new HashSet<>();
        ApiError failed = null;
        while (true) {
            Optional<Choice> choice = next(model, deployments, tried);
            if (choice.isEmpty()) {
                throw failed != null ? failed : refusal(model, deployments, tried);
            }
            Upstream upstream = choice.get().upstream();
            DeploymentBreakers.Permit permit = choice.get().permit();
            tried.add(upstream);
            Runnable finished = upstream.begin();
            AnthropicPassThrough.Opened opened;
            try {
                opened = passThroughs.get(upstream.name()).send(ctx, "/messages", body, false,
                        trace.passThroughAttempt(upstream.name()));
            } catch (ApiError e) {
                finished.run();
                trace.passThroughFailed(e);
                FailureKind kind = FailureKind.of(e);
                if (kind.breakerFailure()) {
                    permit.failure();
                } else {
                    permit.release();
                }
                if (!kind.retry()) {
                    throw e; // a 4xx the request caused: any deployment would answer it alike
                }
                LOG.info("upstream {} failed for {} ({} {}); trying its next deployment, if any", upstream.name(),
                        model, e.type().wireName(), e.status());
                failed = moreUseful(failed, e);
                continue;
            }
            relay(ctx, passThroughs.get(upstream.name()), opened, trace, permit, finished);
            return;
        }
    }

    /** Once the answer began, it is this deployment's: its end settles the breaker, whatever comes. */
    private static void relay(Context ctx, AnthropicPassThrough to, AnthropicPassThrough.Opened opened,
                              RequestTrace trace, DeploymentBreakers.Permit permit, Runnable finished)
            throws IOException {
        try {
            to.relay(ctx, opened, Optional.of(trace));
            permit.success();
        } catch (IOException | RuntimeException e) {
            // The client's hang-up and a broken upstream stream look alike from here: neither is counted.
            permit.release();
            throw e;
        } finally {
            finished.run();
            trace.passThroughEnded();
        }
    }

    private record Choice(Upstream upstream, DeploymentBreakers.Permit permit) {
    }

    /** The balancer's best deployment not tried yet whose breaker grants a call; empty when none is left. */
    private Optional<Choice> next(String model, List<Upstream> deployments, Set<Upstream> tried) {
        Set<Upstream> passedOver = new HashSet<>(tried);
        while (true) {
            Optional<Upstream> best = balancer.choose(deployments, passedOver, u -> true);
            if (best.isEmpty()) {
                return Optional.empty();
            }
            Optional<DeploymentBreakers.Permit> permit = breakers.tryAcquire(best.get().name(), model);
            if (permit.isPresent()) {
                return Optional.of(new Choice(best.get(), permit.get()));
            }
            passedOver.add(best.get());
        }
    }

    /** A rate limit before any other failure; among others the latest. */
    private static ApiError moreUseful(ApiError before, ApiError latest) {
        if (before != null && before.type() == ErrorType.RATE_LIMIT && latest.type() != ErrorType.RATE_LIMIT) {
            return before;
        }
        return latest;
    }

    /**
     * No deployment could be called at all: those at their own limits make it a 429 with the {@code retry-after}
     * of the first to have room; else every breaker is open — 529 overloaded with the shortest open time left.
     */
    private ApiError refusal(String model, List<Upstream> deployments, Set<Upstream> tried) {
        List<Upstream> full = deployments.stream().filter(u -> !tried.contains(u))
                .filter(u -> u.secondsUntilRoom() > 0).toList();
        if (!full.isEmpty()) {
            long seconds = full.stream().mapToLong(Upstream::secondsUntilRoom).min().orElse(1);
            return new ApiError(ErrorType.RATE_LIMIT, 429, "The upstream model '" + model + "' is at ncp's limit for "
                    + String.join(", ", full.stream().map(Upstream::name).toList()) + " (its rpm /"
                    + " max_concurrent_streams under upstreams:); retry after " + seconds + " s.",
                    Map.of("retry-after", String.valueOf(seconds)));
        }
        long millis = deployments.stream().mapToLong(u -> breakers.remainingOpen(u.name(), model).toMillis())
                .filter(ms -> ms > 0).min().orElse(1000);
        long seconds = Math.max(1, (millis + 999) / 1000);
        return new ApiError(ErrorType.OVERLOADED, 529, "The upstream model '" + model + "' failed too often on every"
                + " upstream serving it (" + String.join(", ", deployments.stream().map(Upstream::name).toList())
                + "), so ncp stopped calling it for " + seconds + " s (circuit breaker open). Retry after that.",
                Map.of("retry-after", String.valueOf(seconds)));
    }
}
