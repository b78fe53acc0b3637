package dev.ncp.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ncp.bench.load.SoakCall.Outcome;
import dev.ncp.bench.load.SoakCall.Shape;
import dev.ncp.bench.load.SoakCall.Verdict;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The soak: the real bundle ({@code bin/ncp proxy}) for a long run against {@link FaultyOpenAiUpstream}, with a
 * steady mix of streamed and whole answers, tool calls, thinking, client hang-ups and idempotent repeats, 1 % of
 * each upstream fault, on SQLite or on a real Redis (restarted once half-way). Every sample interval it prints RSS,
 * heap after GC, threads, descriptors, the upstream's open connections, first-delta p50/p99 and what clients saw.
 * It fails (exit 1) when a client saw anything but a clean answer or a clean Anthropic error, when ncp dies, or when
 * RSS, threads, descriptors or upstream connections trend up ({@link LeakCheck}). Run by {@code ncp-bench/soak.sh}.
 *
 * <pre>
 * --bundle DIR           the built bundle (default ncp-dist/target/ncp)
 * --storage NAME         sqlite (default) or redis (a redis-server on a free loopback port, restarted half-way)
 * --minutes N            length of the run (default 30)
 * --sample-seconds N     sample interval (default 60)
 * --clients N            concurrent clients (default 6)
 * --chunks N             content chunks per answer (default 40)
 * --delay-ms N           upstream pause between content chunks (default 2)
 * --fault-share X        probability of each upstream fault per chat request (default 0.01)
 * --pause-ms N           each client's pause between requests (default 20)
 * --out FILE             JSON results (default ncp-bench/target/soak-STORAGE.json)
 * </pre>
 */
public final class SoakRun {

    /** A leak allowance per gauge: absolute, and as a share of the gauge's settled level. */
    private static final List<LeakCheck> CHECKS = List.of(
            new LeakCheck("RSS MB", 24, 0.10),
            new LeakCheck("threads", 4, 0.10),
            new LeakCheck("fds", 8, 0.10),
            new LeakCheck("upstream conns", 4, 0.25));
    /** Reported and judged, but not failing: the serial old generation is a sawtooth between full collections. */
    private static final LeakCheck HEAP_CHECK = new LeakCheck("heap after GC MB", 24, 0.25);
    private static final int BAD_SHOWN = 20;

    private SoakRun() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = LoadRun.args(argv);
        Path bundle = Path.of(a.getOrDefault("bundle", "ncp-dist/target/ncp"));
        String storage = a.getOrDefault("storage", "sqlite");
        if (!storage.equals("sqlite") && !storage.equals("redis")) {
            throw new IllegalArgumentException("--storage is sqlite or redis, not " + storage);
        }
        Duration length = Duration.ofSeconds(Math.round(Double.parseDouble(a.getOrDefault("minutes", "30")) * 60));
        Duration interval = Duration.ofSeconds(Long.parseLong(a.getOrDefault("sample-seconds", "60")));
        int clients = Integer.parseInt(a.getOrDefault("clients", "6"));
        int chunks = Integer.parseInt(a.getOrDefault("chunks", "40"));
        long delay = Long.parseLong(a.getOrDefault("delay-ms", "2"));
        double faultShare = Double.parseDouble(a.getOrDefault("fault-share", "0.01"));
        long pause = Long.parseLong(a.getOrDefault("pause-ms", "20"));
        Path out = Path.of(a.getOrDefault("out", "ncp-bench/target/soak-" + storage + ".json"));

        Path work = Files.createTempDirectory("ncp-soak-");
        GcLog gcLog = new GcLog(work.resolve("gc.log"));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("date", Instant.now().toString());
        report.put("machine", Machine.describe());
        report.put("loadAverageBefore", Machine.loadAverage());
        report.put("settings", a);
        List<Map<String, Object>> rows = new ArrayList<>();
        SoakTally total = new SoakTally();
        boolean ncpDied = false;

        try (var upstream = new FaultyOpenAiUpstream(chunks, delay, faultShare, 30_000);
             RedisServer redis = storage.equals("redis") ? RedisServer.start() : null) {
            Map<String, String> env = new LinkedHashMap<>(LoadRun.ncpEnv(a));
            env.put("STORAGE_ENGINE", storage);
            if (redis != null) {
                env.put("REDIS_URL", redis.url());
            }
            // A silent upstream is given up on in seconds, not the default five minutes, so the soak sees many.
            env.putIfAbsent("NCP_FIRST_BYTE_TIMEOUT_SECONDS", "5");
            env.putIfAbsent("NCP_IDLE_TIMEOUT_SECONDS", "5");
            String javaOpts = System.getenv().getOrDefault("JAVA_OPTS", "");
            env.put("JAVA_OPTS", (javaOpts + " " + gcLog.jvmOption()).trim());

            System.out.printf("soak on %s: %s, %d clients, %d-chunk answers %d ms apart, %.1f %% of each upstream"
                            + " fault; upstream %s; work dir %s%n", storage, length, clients, chunks, delay,
                    faultShare * 100, upstream.baseUrl(), work);
            try (NcpProcess ncp = NcpProcess.start(bundle, upstream.baseUrl(), env)
                    .awaitHealthy(Duration.ofSeconds(60));
                 HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                         .connectTimeout(Duration.ofSeconds(10))
                         .executor(Executors.newVirtualThreadPerTaskExecutor()).build()) {
                System.out.printf("ncp pid %d at %s%n%n%s%n", ncp.pid(), ncp.baseUrl(), SoakTally.header());
                SoakCall call = new SoakCall(http, new ObjectMapper(), ncp.baseUrl(), chunks);
                long end = System.nanoTime() + length.toNanos();
                SoakTally[] window = {new SoakTally()};
                List<Thread> workers = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    workers.add(Thread.ofVirtual().name("soak-client-" + c).start(() -> {
                        while (System.nanoTime() < end) {
                            for (Outcome o : next(call)) {
                                SoakTally w;
                                synchronized (window) {
                                    w = window[0];
                                }
                                w.add(o);
                                total.add(o);
                                if (o.verdict() == Verdict.BAD && total.bad() <= BAD_SHOWN) {
                                    System.out.println("    BAD: " + o.detail());
                                }
                            }
                            sleep(pause);
                        }
                    }));
                }
                long start = System.nanoTime();
                int samples = (int) Math.max(1, length.toNanos() / interval.toNanos());
                long cpuBefore = ncp.stats().cpuMillis();
                for (int s = 1; s <= samples; s++) {
                    long due = start + s * interval.toNanos();
                    while (System.nanoTime() < due && ncp.isAlive()) {
                        Thread.sleep(Math.min(1_000, Math.max(1, (due - System.nanoTime()) / 1_000_000)));
                    }
                    if (!ncp.isAlive()) {
                        ncpDied = true;
                        System.out.println("ncp died:\n" + ncp.log());
                        break;
                    }
                    SoakTally w;
                    synchronized (window) {
                        w = window[0];
                        window[0] = new SoakTally();
                    }
                    ProcessGauges g = ProcessGauges.of(ncp.pid());
                    Map<String, Object> row = w.row(s * interval.toSeconds() / 60.0, g, gcLog.minAfterSinceLastRead(),
                            upstream.openConnections(), (g.cpuMillis() - cpuBefore) / (double) interval.toMillis());
                    cpuBefore = g.cpuMillis();
                    rows.add(row);
                    System.out.println(SoakTally.format(row));
                    if (redis != null && s == samples / 2) {
                        redis.restart();
                        System.out.println("    redis-server restarted (empty) on the same port");
                    }
                }
                for (Thread worker : workers) {
                    worker.join();
                }
                report.put("ncpLogTail", tail(ncp.log(), 40));
            }
            report.put("upstreamFaults", upstream.served());
            System.out.println("\nupstream chat requests by fault: " + upstream.served());
        }

        List<LeakCheck.Verdict> verdicts = new ArrayList<>();
        String[] keys = {"rssMb", "threads", "fds", "upstreamConnections"};
        for (int i = 0; i < CHECKS.size(); i++) {
            verdicts.add(CHECKS.get(i).judge(column(rows, keys[i])));
        }
        LeakCheck.Verdict heap = HEAP_CHECK.judge(column(rows, "heapAfterGcMb"));
        System.out.println("\nclients saw: " + total.summary());
        System.out.println("trends (first third not judged):");
        verdicts.forEach(v -> System.out.println("  " + v.describe()));
        System.out.println("  " + heap.describe() + " (reported, not failing)");
        report.put("samples", rows);
        report.put("total", total.summaryMap());
        report.put("trends", verdicts);
        report.put("heapTrend", heap);
        report.put("loadAverageAfter", Machine.loadAverage());
        Files.createDirectories(out.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), report);
        System.out.println("load average before: " + report.get("loadAverageBefore") + ", after: "
                + report.get("loadAverageAfter") + "\nJSON results: " + out);

        List<String> failures = new ArrayList<>();
        if (ncpDied) {
            failures.add("ncp died during the run");
        }
        if (total.bad() > 0) {
            failures.add(total.bad() + " requests got something other than a clean answer or a clean Anthropic error");
        }
        verdicts.stream().filter(LeakCheck.Verdict::grows).forEach(v -> failures.add(v.gauge() + " trends up"));
        if (total.ok() == 0) {
            failures.add("no request was answered");
        }
        if (failures.isEmpty()) {
            System.out.println("SOAK PASSED");
        } else {
            System.out.println("SOAK FAILED: " + String.join("; ", failures));
            System.exit(1);
        }
    }

    /**
     * The next request of the mix, by weight: streamed and whole answers of text, a tool call and thinking, client
     * hang-ups, and idempotent repeats (two requests at once with one key: one runs, the other waits and replays).
     */
    private static List<Outcome> next(SoakCall call) {
        int r = ThreadLocalRandom.current().nextInt(100);
        Shape shape;
        if (r < 25) {
            shape = new Shape("text", true, false);
        } else if (r < 35) {
            shape = new Shape("text", false, false);
        } else if (r < 50) {
            shape = new Shape("tool", true, false);
        } else if (r < 55) {
            shape = new Shape("tool", false, false);
        } else if (r < 65) {
            shape = new Shape("thinking", true, false);
        } else if (r < 70) {
            shape = new Shape("thinking", false, false);
        } else if (r < 75) {
            shape = new Shape("text", true, true);
        } else if (r < 80) {
            shape = new Shape("text", false, true);
        } else {
            return idempotentPair(call, new Shape(r < 90 ? "text" : "tool", r % 2 == 0, false));
        }
        return List.of(call.run(shape, SoakCall.body(shape), null));
    }

    private static List<Outcome> idempotentPair(SoakCall call, Shape shape) {
        String body = SoakCall.body(shape);
        String key = SoakCall.newIdempotencyKey();
        Outcome[] first = new Outcome[1];
        Thread other = Thread.ofVirtual().start(() -> first[0] = call.run(shape, body, key));
        Outcome second = call.run(shape, body, key);
        try {
            other.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of(second);
        }
        Outcome one = first[0];
        if (one.verdict() == Verdict.OK && second.verdict() == Verdict.OK && !one.content().equals(second.content())) {
            return List.of(one, new Outcome(Verdict.BAD, "an idempotent repeat answered differently: "
                    + one.content() + " / " + second.content(), -1, null, false));
        }
        return List.of(one, second);
    }

    private static List<Double> column(List<Map<String, Object>> rows, String key) {
        return rows.stream().map(r -> ((Number) r.get(key)).doubleValue()).toList();
    }

    private static String tail(String log, int lines) {
        String[] all = log.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
