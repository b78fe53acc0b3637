package dev.ncp.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageEngine;
import dev.ncp.api.storage.StorageSettings;
import dev.ncp.host.idempotency.AnswerRecorder;
import dev.ncp.host.idempotency.IdempotencyKey;
import dev.ncp.host.idempotency.IdempotencyStore;
import dev.ncp.host.idempotency.IdempotentMessages;
import dev.ncp.host.idempotency.RecordedAnswer;
import dev.ncp.host.plugin.PluginHost;
import dev.ncp.host.storage.Leases;
import dev.ncp.host.storage.MemoryStorageEngine;
import dev.ncp.host.storage.StorageDegradation;
import dev.ncp.host.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What idempotency adds to a request, per storage engine, as {@link IdempotentMessages} does it:
 * <ul>
 *   <li>{@link #firstRequest}: the key and the SHA-256 of a 100 KB Claude Code body, the claim (put-if-absent),
 *       holding and releasing the claim's lease, the recorder's copy of a streamed answer (a real 2.4 KB SSE
 *       answer written event by event, then checked whole) and storing it (JSON with the body in base64);</li>
 *   <li>{@link #repeatRequest}: the key and SHA-256 again, then the lookup that finds the stored answer and
 *       decodes it for replay.</li>
 * </ul>
 * SQLite and Redis come from the built bundle's plugins ({@code -Dncp.plugins}, default
 * {@code ncp-dist/target/ncp/plugins}: run {@code ./ncpw build} first); Redis is a {@code redis-server} on a free
 * loopback port started for the trial.
 * Mode sample time: the score's p0.50 is the median the targets speak of (memory < 20 µs, SQLite and Redis < 1 ms).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class IdempotencyPathBench {

    private static final Map<String, String> SSE_HEADERS = Map.of("Content-Type", "text/event-stream; charset=utf-8",
            "Cache-Control", "no-cache", "x-ncp-model", "qwen/qwen3-coder-480b-a35b-instruct");

    @Param({"memory", "sqlite", "redis"})
    public String engine;

    private final ObjectMapper json = new ObjectMapper();
    private Path work;
    private Process redis;
    private PluginHost plugins;
    private Storage storage;
    private Leases leases;
    private IdempotencyStore store;
    private byte[] body;
    private List<byte[]> answerEvents;
    private String repeatKeyHeader;
    private IdempotencyKey repeatKey;
    private long sequence;

    @Setup(Level.Trial)
    public void open() throws Exception {
        work = Files.createTempDirectory("ncp-idempotency-bench");
        body = RequestBodies.bytes(RequestBodies.tree("synthetic100k", json), json); // Claude Code, 100 KB
        answerEvents = events(Fixtures.resource("/golden/text-then-tool-call.sse"));
        StorageEngine chosen = switch (engine) {
            case "memory" -> new MemoryStorageEngine();
            default -> plugin(engine);
        };
        Map<String, String> settings = switch (engine) {
            case "sqlite" -> Map.of("NCP_SQLITE_PATH", work.resolve("bench.db").toString());
            case "redis" -> Map.of("REDIS_URL", startRedis());
            default -> Map.of();
        };
        storage = chosen.open(new StorageSettings(work, settings));
        leases = new Leases(storage, new StorageDegradation(Clock.systemUTC()));
        store = new IdempotencyStore(storage, json);
        repeatKeyHeader = "bench-repeat-" + System.nanoTime();
        repeatKey = IdempotencyKey.of(Optional.of(repeatKeyHeader), "local", body).orElseThrow();
        firstRequest(repeatKey);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        leases.close();
        storage.close();
        if (plugins != null) {
            plugins.close();
        }
        if (redis != null) {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Benchmark
    public RecordedAnswer firstRequest() {
        return firstRequest(IdempotencyKey.of(Optional.of("bench-" + System.nanoTime() + "-" + sequence++), "local",
                body).orElseThrow());
    }

    /** The engine's share of a first request: the same steps with a key made without hashing the body. */
    @Benchmark
    public RecordedAnswer firstRequestWithoutFingerprint() {
        return firstRequest(new IdempotencyKey("idempotency:bench-" + System.nanoTime() + "-" + sequence++,
                repeatKey.requestHash()));
    }

    /** The engine's share of a repeat: the lookup and decoding, with the key already made. */
    @Benchmark
    public RecordedAnswer repeatWithoutFingerprint() {
        return replayed(repeatKey);
    }

    /** The part of both paths no engine changes: the key and the SHA-256 of the 100 KB body. */
    @Benchmark
    public IdempotencyKey fingerprint() {
        return IdempotencyKey.of(Optional.of(repeatKeyHeader), "local", body).orElseThrow();
    }

    @Benchmark
    public RecordedAnswer repeatRequest() {
        return replayed(IdempotencyKey.of(Optional.of(repeatKeyHeader), "local", body).orElseThrow());
    }

    private RecordedAnswer replayed(IdempotencyKey key) {
        if (store.claimOrRead(key.storageKey(), key.requestHash()) instanceof IdempotencyStore.Lookup.Found found
                && key.requestHash().equals(found.entry().requestHash()) && found.entry().isDone()) {
            return found.entry().answer();
        }
        throw new IllegalStateException("the stored answer is missing");
    }

    private RecordedAnswer firstRequest(IdempotencyKey key) {
        var claimed = (IdempotencyStore.Lookup.Claimed) store.claimOrRead(key.storageKey(), key.requestHash());
        var recorder = new AnswerRecorder(IdempotentMessages.MAX_RECORDED_BYTES);
        Leases.Lease lease = leases.hold(key.storageKey(), claimed.value(), IdempotencyStore.IN_FLIGHT_TTL, "bench");
        for (byte[] event : answerEvents) {
            recorder.write(event, 0, event.length); // as the SSE writer's output is copied, event by event
        }
        RecordedAnswer answer = recorder.completed(SSE_HEADERS, recorder.recordedBytes()).orElseThrow();
        lease.close();
        store.complete(key.storageKey(), key.requestHash(), answer, Duration.ofHours(24));
        return answer;
    }

    private StorageEngine plugin(String name) {
        plugins = PluginHost.load(List.of(Path.of(System.getProperty("ncp.plugins", "ncp-dist/target/ncp/plugins"))));
        return plugins.extensions(StorageEngine.class).stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + name + " plugin: run ./ncpw build first, or"
                        + " point -Dncp.plugins at the bundle's plugins directory"));
    }

    /** A redis-server on a free loopback port, without persistence, as the loopback figure needs. */
    private String startRedis() throws IOException, InterruptedException {
        int port;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", work.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("redis.log").toFile()).start();
        for (int i = 0; i < 500; i++) {
            try (var socket = new java.net.Socket("127.0.0.1", port)) {
                return "redis://127.0.0.1:" + port;
            } catch (IOException notYet) {
                Thread.sleep(10);
            }
        }
        throw new IllegalStateException("redis-server did not start: " + Files.readString(work.resolve("redis.log")));
    }

    private static List<byte[]> events(byte[] sse) {
        String text = new String(sse, StandardCharsets.UTF_8);
        List<byte[]> events = new ArrayList<>();
        for (String event : text.split("(?<=\n\n)")) {
            events.add(event.getBytes(StandardCharsets.UTF_8));
        }
        return events;
    }
}
