package dev.ncp.host.idempotency;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageEngine;
import dev.ncp.api.storage.StorageSettings;
import dev.ncp.host.plugin.PluginHost;
import dev.ncp.host.storage.Leases;
import dev.ncp.host.storage.MemoryStorageEngine;
import dev.ncp.host.storage.StorageDegradation;
import dev.ncp.host.testing.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A manual measurement, not a test: how long the idempotency path adds to a request on each engine. One timed
 * operation is what {@link IdempotentMessages} does for a first request — claim the key ({@code putIfAbsent}),
 * hold and release the claim's lease, store the finished answer (a 2 KB message) — on one thread, after a warm-up.
 * A repeat's lookup (one {@code get} and a JSON parse) is timed separately.
 *
 * <p>Run after {@code ./ncpw build} (it loads the SQLite and Redis plugins from the built bundle, and starts a
 * {@code redis-server} on loopback):
 * <pre>
 * ./ncpw mvn -q -pl ncp-host -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/ncp-cp.txt
 * java -cp ncp-host/target/test-classes:ncp-host/target/classes:$(cat /tmp/ncp-cp.txt) \
 *     dev.ncp.host.idempotency.IdempotencyPathTiming ncp-dist/target/ncp/plugins
 * </pre>
 */
public final class IdempotencyPathTiming {

    private static final int WARMUP = 2_000;
    private static final int MEASURED = 10_000;

    private IdempotencyPathTiming() {
    }

    public static void main(String[] args) throws Exception {
        Path plugins = Path.of(args.length > 0 ? args[0] : "ncp-dist/target/ncp/plugins");
        Path work = Files.createTempDirectory("ncp-timing");
        try (PluginHost host = PluginHost.load(List.of(plugins));
             RedisServerProcess redis = RedisServerProcess.start(work)) {
            System.out.printf("%-8s %12s %10s %10s %10s %14s%n", "engine", "claim+store", "p50 µs", "p99 µs",
                    "ops/s", "repeat p50 µs");
            measure(new MemoryStorageEngine(), Map.of(), work);
            for (StorageEngine engine : host.extensions(StorageEngine.class)) {
                Map<String, String> settings = switch (engine.name()) {
                    case "sqlite" -> Map.of("NCP_SQLITE_PATH", work.resolve("timing.db").toString());
                    case "redis" -> Map.of("REDIS_URL", redis.url());
                    default -> Map.of();
                };
                measure(engine, settings, work);
            }
        }
    }

    private static void measure(StorageEngine engine, Map<String, String> settings, Path work) {
        var json = new ObjectMapper();
        try (Storage storage = engine.open(new StorageSettings(work, settings));
             Leases leases = new Leases(storage, new StorageDegradation(Clock.systemUTC()))) {
            var store = new IdempotencyStore(storage, json);
            var answer = new RecordedAnswer(200, Map.of("Content-Type", "application/json"),
                    "{\"type\":\"message\",\"text\":\"%s\"}".formatted("x".repeat(2000))
                            .getBytes(StandardCharsets.UTF_8));
            String hash = "0".repeat(64);
            String prefix = "timing:" + System.nanoTime() + ":";
            for (int i = 0; i < WARMUP; i++) {
                firstRequest(store, leases, prefix + "w" + i, hash, answer);
            }
            long[] nanos = new long[MEASURED];
            long total = System.nanoTime();
            for (int i = 0; i < MEASURED; i++) {
                long start = System.nanoTime();
                firstRequest(store, leases, prefix + i, hash, answer);
                nanos[i] = System.nanoTime() - start;
            }
            total = System.nanoTime() - total;
            long[] repeat = new long[MEASURED];
            for (int i = 0; i < MEASURED; i++) {
                long start = System.nanoTime();
                if (!(store.claimOrRead(prefix + i, hash) instanceof IdempotencyStore.Lookup.Found)) {
                    throw new IllegalStateException("the stored answer is missing");
                }
                repeat[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            Arrays.sort(repeat);
            System.out.printf("%-8s %12s %10.1f %10.1f %10.0f %14.1f%n", engine.name(), MEASURED + "x",
                    nanos[MEASURED / 2] / 1e3, nanos[MEASURED * 99 / 100] / 1e3, MEASURED / (total / 1e9),
                    repeat[MEASURED / 2] / 1e3);
        }
    }

    private static void firstRequest(IdempotencyStore store, Leases leases, String key, String hash,
                                     RecordedAnswer answer) {
        var claimed = (IdempotencyStore.Lookup.Claimed) store.claimOrRead(key, hash);
        Leases.Lease lease = leases.hold(key, claimed.value(), IdempotencyStore.IN_FLIGHT_TTL, "timing");
        lease.close();
        store.complete(key, hash, answer, Duration.ofHours(24));
    }
}
