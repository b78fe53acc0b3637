package dev.ncp.bench;

import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageSettings;
import dev.ncp.host.config.BreakerSettings;
import dev.ncp.host.resilience.DeploymentBreakers;
import dev.ncp.host.resilience.ResilienceEvents;
import dev.ncp.host.storage.MemoryStorageEngine;
import dev.ncp.host.upstream.Balancer;
import dev.ncp.host.upstream.Upstream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What choosing a deployment costs one request: {@code choose} alone over a model's three deployments (weights
 * 1, 2, 1), and the whole placement as {@code ResilientAnswer} does it — the choice, the chosen deployment's breaker
 * permission read from the in-process ledger, and the success counted in the breaker's window when the answer ends.
 * Target: well under 5 µs per request, next to milliseconds of upstream time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class BalancerBench {

    private final List<Upstream> deployments = List.of(upstream("nim-a", 1), upstream("nim-b", 2),
            upstream("nim-c", 1));
    private final Balancer balancer = new Balancer();
    private final Storage ledger = new MemoryStorageEngine().open(new StorageSettings(Path.of("."), Map.of()));
    private final DeploymentBreakers breakers = new DeploymentBreakers(BreakerSettings.defaults(), ledger,
            System::currentTimeMillis, ResilienceEvents.NONE);

    private static Upstream upstream(String name, int weight) {
        return new Upstream(name, URI.create("http://127.0.0.1:9/v1"), false, weight, 0, 0, null, System::nanoTime);
    }

    @Benchmark
    public Upstream choose() {
        return balancer.choose(deployments, Set.of(), u -> true).orElseThrow();
    }

    @Benchmark
    public Upstream chooseWithBreakerPermitAndOutcome() {
        Upstream chosen = balancer.choose(deployments, Set.of(), u -> true).orElseThrow();
        breakers.tryAcquire(chosen.name(), "acme/coder").orElseThrow().success();
        return chosen;
    }

    @TearDown
    public void close() {
        ledger.close();
    }
}
