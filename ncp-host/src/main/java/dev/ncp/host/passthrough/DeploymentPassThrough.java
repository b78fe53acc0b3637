package dev.ncp.host.passthrough;

import dev.ncp.api.error.ErrorType;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.observe.RequestTrace;
import dev.ncp.host.resilience.DeploymentBreakers;
import dev.ncp.host.resilience.DeploymentChoice;
import dev.ncp.host.resilience.FailureKind;
import dev.ncp.host.upstream.Balancer;
import dev.ncp.host.upstream.Upstream;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        DeploymentChoice choices = DeploymentChoice.among(deployments, balancer, breakers);
        ApiError failed = null;
        while (true) {
            Optional<DeploymentChoice.Pick> choice = choices.next(model);
            if (choice.isEmpty()) {
                throw failed != null ? failed : choices.atLimit(model).orElseGet(() -> choices.refusal(model));
            }
            Upstream upstream = choice.get().upstream();
            DeploymentBreakers.Permit permit = choice.get().permit();
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

    /** A rate limit before any other failure; among others the latest. */
    private static ApiError moreUseful(ApiError before, ApiError latest) {
        if (before != null && before.type() == ErrorType.RATE_LIMIT && latest.type() != ErrorType.RATE_LIMIT) {
            return before;
        }
        return latest;
    }
}
