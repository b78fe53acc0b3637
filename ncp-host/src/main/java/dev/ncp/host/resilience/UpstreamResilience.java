package dev.ncp.host.resilience;

import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.storage.Storage;
import dev.ncp.host.config.BreakerSettings;
import dev.ncp.host.config.Config;
import dev.ncp.host.model.ModelRegistry;
import dev.ncp.host.plan.AttemptFactory;
import dev.ncp.host.upstream.Balancer;
import dev.ncp.host.upstream.Deployments;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The process-wide part of upstream resilience: the retry policy, each model's deployments and the balancer between
 * them, a circuit breaker per deployment (whose transitions go to the process-wide observer) and the fallback
 * chains. Makes one {@link ResilientAnswer} per request, reporting to that request's own observer.
 */
public final class UpstreamResilience {

    private final RetryPolicy retries;
    private final DeploymentBreakers breakers;
    private final Deployments deployments;
    private final Balancer balancer = new Balancer();
    private final ModelRegistry registry;
    private final List<String> defaultFallbacks;

    /**
     * @param defaultFallbacks {@code NCP_FALLBACK_MODELS}: the chain of models whose registry entry names none
     * @param deployments      where each model is served
     * @param breakerLedger    where the breakers' state lives: shared storage (Redis) or an in-process store
     * @param events           hears the breakers' transitions
     */
    public UpstreamResilience(Config.Resilience settings, BreakerSettings breakerSettings, Deployments deployments,
                              Storage breakerLedger, ModelRegistry registry, List<String> defaultFallbacks,
                              ResilienceEvents events) {
        this.retries = new RetryPolicy(settings.maxRetries(), settings.retryBackoff(), settings.retryMaxWait(),
                () -> ThreadLocalRandom.current().nextDouble(), Clock.systemUTC());
        this.breakers = new DeploymentBreakers(breakerSettings, breakerLedger, System::currentTimeMillis, events);
        this.deployments = deployments;
        deployments.namedDeployments().forEach((model, upstreams) -> upstreams.forEach(u -> breakers.watch(u, model)));
        this.registry = registry;
        this.defaultFallbacks = List.copyOf(defaultFallbacks);
    }

    /**
     * The answer to one request.
     *
     * @param attempts the request's attempts: for the model it resolved to, and for each fallback model
     * @param events   hears this request's retries, fallbacks and outcome (its trace)
     */
    public ResilientAnswer answer(AttemptFactory attempts, ResilienceEvents events) {
        return new ResilientAnswer(attempts, fallbacks(attempts.primaryModel()), retries, breakers, deployments,
                balancer, events);
    }

    /**
     * The models tried after {@code primary}, in order: its registry entry's chain, else {@code NCP_FALLBACK_MODELS};
     * names may be aliases; the primary itself and repeats are left out. A chain that is left empty by that (with
     * {@code --model} every family resolves to the one model, so its own chain names only itself) gives way to
     * {@code NCP_FALLBACK_MODELS} too: a user who set that list expects it to be tried.
     */
    public List<ModelInfo> fallbacks(ModelInfo primary) {
        List<ModelInfo> own = resolve(primary.fallbacks(), primary);
        return own.isEmpty() ? resolve(defaultFallbacks, primary) : own;
    }

    private List<ModelInfo> resolve(List<String> names, ModelInfo primary) {
        var ids = new LinkedHashSet<String>();
        List<ModelInfo> chain = new ArrayList<>();
        for (String name : names) {
            ModelInfo model = registry.lookup(name).map(r -> r.model()).orElseGet(() -> registry.model(name));
            if (!model.id().equals(primary.id()) && ids.add(model.id())) {
                chain.add(model);
            }
        }
        return List.copyOf(chain);
    }

    public DeploymentBreakers breakers() {
        return breakers;
    }

    public Deployments deployments() {
        return deployments;
    }
}
