package dev.ncp.host.resilience;

import dev.ncp.api.error.ErrorType;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.plan.AttemptFactory;
import dev.ncp.host.pump.Attempt;
import dev.ncp.host.pump.AttemptSequence;
import dev.ncp.host.response.ContextOverflow;
import dev.ncp.host.response.UpstreamErrorMapper;
import dev.ncp.host.upstream.Balancer;
import dev.ncp.host.upstream.Deployments;
import dev.ncp.host.upstream.Upstream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempts of one answer, decided one failure at a time (the pump asks only while nothing but message_start has
 * reached the client):
 * <ol>
 *   <li>a context-length refusal with numbers → once more with a {@code max_tokens} that fits, else the error;</li>
 *   <li>a transient failure or 429 → at once the model's next deployment (another upstream serving it) not tried
 *       yet, chosen by the {@link Balancer} among those whose breaker lets calls through;</li>
 *   <li>when every deployment was tried → the same model again after a backoff (or the Retry-After), up to
 *       {@code NCP_MAX_RETRIES} times, on the deployment the balancer picks then;</li>
 *   <li>then, and at once for a missing or retired model or an open breaker → the next model of the fallback chain,
 *       re-planned for that model (skipped when the request cannot go there);</li>
 *   <li>any other 4xx → the client gets it as it is.</li>
 * </ol>
 * When no candidate is left, the client gets the most useful error, not the last: a rate limit (the shortest
 * Retry-After) before a server failure, before an open breaker, before "not found".
 *
 * <p>Each attempt holds a permission of its deployment's circuit breaker, settled by its outcome: a failure before
 * content, or a stream broken after it, counts against the deployment. When every candidate — each deployment of
 * each model — is open, a bounded share of requests is sent anyway as panic-mode probes, and the rest are refused
 * with {@code 529 overloaded_error} and a {@code retry-after} of the shortest open time left. Used from the pump's
 * thread only.
 */
public final class ResilientAnswer implements AttemptSequence {

    private static final Logger log = LoggerFactory.getLogger(ResilientAnswer.class);
    /** Tokens left free between input and context when max_tokens is reduced (the upstream counted exactly). */
    static final int CONTEXT_MARGIN = 64;
    /** The least output worth a retry with a reduced max_tokens. */
    static final int MIN_OUTPUT = 256;

    private record Failure(String model, ApiError error, FailureKind kind) {
    }

    private final AttemptFactory attempts;
    private final String requestedModel;
    private final String primaryModel;
    private final Deque<ModelInfo> fallbacks;
    private final RetryPolicy retries;
    private final DeploymentBreakers breakers;
    private final DeploymentChoice deployments;
    private final ResilienceEvents events;
    private final List<Failure> failures = new ArrayList<>();
    private final List<String> tried = new ArrayList<>();

    private String model;
    private Attempt current;
    private Attempt firstAttempt;
    private DeploymentBreakers.Permit permit;
    private boolean panic;
    private int retry;
    private boolean reduced;
    private int calls;

    ResilientAnswer(AttemptFactory attempts, List<ModelInfo> fallbacks, RetryPolicy retries,
                    DeploymentBreakers breakers, Deployments deployments, Balancer balancer, ResilienceEvents events) {
        this.attempts = attempts;
        this.requestedModel = attempts.requestedModel();
        this.primaryModel = attempts.primaryModel().id();
        this.fallbacks = new ArrayDeque<>(fallbacks);
        this.retries = retries;
        this.breakers = breakers;
        this.deployments = new DeploymentChoice(deployments, balancer, breakers);
        this.events = events;
    }

    /** The upstream model of the latest attempt: the one that answered, once the answer has content. */
    public String model() {
        return model;
    }

    /** Whether the answer comes from another model than the one requested. */
    public boolean fellBack() {
        return !primaryModel.equals(model);
    }

    @Override
    public Attempt first() {
        firstAttempt = attempts.first();
        return begin(primaryModel, firstAttempt);
    }

    /** The upstream of the latest attempt: the one that answered, once the answer has content. */
    public String upstream() {
        return current == null ? Upstream.DEFAULT_NAME : current.upstreamName();
    }

    @Override
    public Attempt next(Attempt failed, ApiError error) {
        FailureKind kind = FailureKind.of(error);
        settle(kind, error);
        failures.add(new Failure(model, error, kind));
        switch (kind) {
            case CONTEXT_OVERFLOW -> {
                return withSmallerMaxTokens(error);
            }
            case FINAL -> throw error;
            default -> {
                // retried, then fallen back from, below
            }
        }
        if (kind.retry() && !panic) {
            String failedOn = current.upstreamName(); // placing the next deployment replaces current
            Optional<Attempt> elsewhere = otherDeployment(current);
            if (elsewhere.isPresent()) {
                log.info("upstream model {} failed on {} ({}); trying its deployment on {}", model,
                        failedOn, brief(error), elsewhere.get().upstreamName());
                return elsewhere.get();
            }
            Optional<Duration> wait = retries.delay(retry + 1, error);
            if (wait.isPresent()) {
                retry++;
                events.retrying(model, retry, wait.get(), error);
                log.info("upstream model {} failed ({}); retry {} in {} ms", model, brief(error), retry,
                        wait.get().toMillis());
                sleep(wait.get());
                deployments.startOver();
                return call(current);
            }
        }
        return fallBack(error);
    }

    @Override
    public void ended(Attempt last, boolean delivered, ApiError error) {
        if (permit != null) {
            if (delivered && error == null) {
                permit.success();
            } else if (delivered) {
                permit.failure(); // a stream broken after content began: the deployment failed this answer
            } else {
                permit.release(); // the client left, or the total deadline passed: nothing learnt about the model
            }
            permit = null;
        }
        if (delivered) {
            events.answered(requestedModel, model, calls);
            if (fellBack()) {
                log.info("{} answered by fallback model {} after {} attempts (tried {})", requestedModel, model,
                        calls, tried);
            }
        } else if (error != null && !failures.isEmpty()) {
            events.exhausted(requestedModel, List.copyOf(tried), error);
        }
    }

    private Attempt begin(String candidate, Attempt attempt) {
        model = candidate;
        retry = 0;
        reduced = false;
        deployments.startOver();
        tried.add(candidate);
        return call(attempt);
    }

    /** {@code attempt} on the best deployment of the model whose breaker lets it through, else the next model. */
    private Attempt call(Attempt attempt) {
        if (!deployments.servable(model)) {
            ApiError elsewhere = new ApiError(ErrorType.INVALID_REQUEST, "The model '" + model + "' is served only by"
                    + " Messages API upstreams, which take requests for it directly, not as another model's fallback.");
            failures.add(new Failure(model, elsewhere, FailureKind.UNSUITABLE));
            return fallBack(elsewhere);
        }
        Optional<Attempt> placed = placed(attempt);
        if (placed.isEmpty()) {
            // Deployments at their own rpm or stream cap are a rate limit (no panic probe past them), not a failure.
            Optional<ApiError> full = deployments.atLimit(model);
            ApiError refused = full.orElseGet(() -> deployments.refusal(model));
            failures.add(new Failure(model, refused, full.isPresent() ? FailureKind.RATE_LIMITED
                    : FailureKind.BREAKER_OPEN));
            return fallBack(refused);
        }
        return placed.get();
    }

    /** {@code failed} on a deployment of the same model not tried yet, if any lets it through. */
    private Optional<Attempt> otherDeployment(Attempt failed) {
        return deployments.hasOthers(model) ? placed(failed) : Optional.empty();
    }

    private Optional<Attempt> placed(Attempt attempt) {
        return deployments.next(model).map(pick -> start(attempt.to(pick.upstream()), pick.permit()));
    }

    private Attempt start(Attempt placed, DeploymentBreakers.Permit granted) {
        permit = granted;
        current = placed;
        calls++;
        return placed;
    }

    private Attempt fallBack(ApiError cause) {
        while (!fallbacks.isEmpty()) {
            ModelInfo next = fallbacks.poll();
            Attempt planned;
            try {
                planned = attempts.forFallback(next);
            } catch (ApiError unsuitable) {
                failures.add(new Failure(next.id(), unsuitable, FailureKind.UNSUITABLE));
                continue;
            }
            events.fellBack(model, next.id(), cause);
            log.info("upstream model {} cannot answer ({}); falling back to {}", model, brief(cause), next.id());
            return begin(next.id(), planned);
        }
        if (calls == 0 && firstAttempt != null && everyCandidateOpen()
                && deployments.servable(primaryModel) && breakers.panicAllowed()) {
            return panicProbe();
        }
        ApiError best = mostUseful();
        log.info("no upstream model could answer {} (tried {}): {}", requestedModel, tried, brief(best));
        throw best;
    }

    /** Once per model: the same request with a max_tokens that leaves the input room in the context window. */
    private Attempt withSmallerMaxTokens(ApiError error) {
        ContextOverflow overflow = UpstreamErrorMapper.contextOverflow(error).orElseThrow();
        Integer sentMax = current.chat().maxTokens();
        if (!reduced && sentMax != null) {
            int smaller = overflow.contextWindow() - overflow.inputTokens(sentMax) - CONTEXT_MARGIN;
            // Only a max_tokens below the one sent can help; when the input alone leaves too little, nothing can.
            if (smaller < sentMax && smaller >= MIN_OUTPUT) {
                reduced = true;
                events.maxTokensReduced(model, sentMax, smaller);
                log.info("upstream model {} refused the context length; retrying with max_tokens {} instead of {}",
                        model, smaller, sentMax);
                deployments.startOver(); // any deployment may take it, the one that counted the tokens included
                return call(current.withChat(current.chat().withMaxTokens(smaller)));
            }
        }
        throw error; // "prompt is too long: N tokens > M maximum", which Claude Code answers by compacting
    }

    private boolean everyCandidateOpen() {
        return failures.stream().allMatch(f -> f.kind() == FailureKind.BREAKER_OPEN
                || f.kind() == FailureKind.UNSUITABLE);
    }

    /**
     * Every candidate is open, and this request is one of the share let through anyway: the requested model on its
     * least loaded deployment, once, without retries. Without it an upstream that is mostly healthy again would
     * stay refused until each breaker's own probe, and a failure burst would become an outage of ncp's making.
     */
    private Attempt panicProbe() {
        DeploymentChoice.Pick pick = deployments.anyway(primaryModel);
        Upstream target = pick.upstream();
        log.warn("every upstream deployment for {} has an open circuit breaker; sending this request to {} on {}"
                + " anyway (panic mode)", requestedModel, primaryModel, target.name());
        events.panicked(primaryModel, target.name());
        model = primaryModel;
        panic = true;
        tried.add(primaryModel);
        return start(firstAttempt.to(target), pick.permit());
    }

    private void settle(FailureKind kind, ApiError error) {
        if (permit == null) {
            return;
        }
        if (kind.breakerFailure()) {
            permit.failure();
        } else {
            permit.release();
        }
        permit = null;
    }

    /** A rate limit (shortest Retry-After) before a server failure before an open breaker before "not found". */
    private ApiError mostUseful() {
        Comparator<Failure> order = Comparator.comparingInt((Failure f) -> rank(f.kind()))
                .thenComparing(f -> f.kind() == FailureKind.RATE_LIMITED || f.kind() == FailureKind.BREAKER_OPEN
                        ? retries.retryAfter(f.error()).orElse(Duration.ofDays(1)) : Duration.ZERO)
                .thenComparing(f -> -failures.indexOf(f));
        Failure best = failures.stream().min(order).orElseThrow();
        if (tried.size() < 2) {
            return best.error();
        }
        var others = new StringBuilder();
        for (Failure f : failures) {
            if (!f.model().equals(best.model()) && others.indexOf(f.model() + ":") < 0) {
                others.append(others.isEmpty() ? "" : "; ").append(f.model()).append(": ").append(brief(f.error()));
            }
        }
        return new ApiError(best.error().type(), best.error().status(), best.error().getMessage()
                + " (ncp also tried " + others + ")", best.error().headers());
    }

    private static int rank(FailureKind kind) {
        return switch (kind) {
            case RATE_LIMITED -> 0;
            case TRANSIENT -> 1;
            case BREAKER_OPEN -> 2;
            case MODEL_MISSING -> 3;
            default -> 4;
        };
    }

    private static String brief(ApiError e) {
        return e.type().wireName() + " " + e.status();
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(ErrorType.API, "The upstream request was cancelled.");
        }
    }
}
