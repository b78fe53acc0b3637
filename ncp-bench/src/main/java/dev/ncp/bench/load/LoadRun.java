package dev.ncp.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ncp.bench.load.LoadGenerator.Run;
import dev.ncp.bench.load.StreamingCall.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The load run: a scripted upstream in this JVM, the real bundle as a process, and for each body and concurrency
 * the same requests sent straight to the upstream (OpenAI format) and through ncp (Anthropic format), optionally
 * through another proxy too ({@code --compare-url}). Then many open slow streams, then cold start. Prints one table
 * and writes everything as JSON. Run by {@code ncp-bench/load.sh}; method in docs/performance.md.
 *
 * <pre>
 * --bundle DIR          the built bundle (default ncp-dist/target/ncp)
 * --out FILE            JSON results (default ncp-bench/target/load-results.json)
 * --phases LIST         load,streams,cold (default all three); warmup on request
 * --bodies LIST         tiny,claudeCode
 * --concurrency LIST    1,16,64,256
 * --requests N          requests per scenario: max(N, 4 × concurrency) (default 100)
 * --chunks N            content chunks per answer (default 200)
 * --delay-ms N          upstream delay between content chunks (default 0)
 * --tool                stream one tool call's arguments instead of text
 * --streams N           open slow streams (default 1000)
 * --stream-seconds N    how long each slow stream lasts (default 20; a chunk every 2.5 s)
 * --cold-runs N         cold starts per variant (default 5)
 * --warmup-bundles LIST bundles whose warm-up curves alternate in the warmup phase (default --bundle)
 * --warmup-requests N   requests one at a time after each start (default 1000; windows 1–50, 51–200, 201–N)
 * --warmup-runs N       starts per bundle (default 3)
 * --warmup-body NAME    tiny or claudeCode (default claudeCode)
 * --compare-url URL     another Anthropic-compatible proxy, configured at this run's upstream (see --upstream-port)
 * --compare-pid N       that proxy's process id, to report its CPU per request (/proc)
 * --upstream-port N     fixed port for the scripted upstream (default: any free one)
 * --ncp-env K=V,K=V     extra settings for ncp in every phase (e.g. STORAGE_ENGINE=memory)
 * </pre>
 */
public final class LoadRun {

    private LoadRun() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = args(argv);
        Path bundle = Path.of(a.getOrDefault("bundle", "ncp-dist/target/ncp"));
        Path out = Path.of(a.getOrDefault("out", "ncp-bench/target/load-results.json"));
        List<String> phases = list(a.getOrDefault("phases", "load,streams,cold"));
        int chunks = Integer.parseInt(a.getOrDefault("chunks", "200"));
        int streamSeconds = Integer.parseInt(a.getOrDefault("stream-seconds", "20"));
        var fast = new ScriptedOpenAiUpstream.Script(chunks, Long.parseLong(a.getOrDefault("delay-ms", "0")),
                a.containsKey("tool"));
        var slow = new ScriptedOpenAiUpstream.Script(Math.max(1, streamSeconds * 2 / 5), 2_500, false);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("date", Instant.now().toString());
        report.put("machine", Machine.describe());
        report.put("loadAverageBefore", Machine.loadAverage());
        report.put("settings", a);
        try (var upstream = new ScriptedOpenAiUpstream(fast, slow,
                Integer.parseInt(a.getOrDefault("upstream-port", "0")))) {
            System.out.printf("upstream %s (%d chunks, %s ms apart, %s)%n", upstream.baseUrl(), chunks,
                    fast.delayMillis(), fast.toolCall() ? "tool call" : "text");
            if (phases.contains("load")) {
                report.put("load", load(bundle, upstream, a));
            }
            if (phases.contains("streams")) {
                int streams = Integer.parseInt(a.getOrDefault("streams", "1000"));
                System.out.printf("%n%d open slow streams (%d s each, R2_PING_INTERVAL=1)...%n", streams,
                        streamSeconds);
                var r = OpenStreamsRun.run(bundle, upstream, LoadBodies.named("tiny"), streams, ncpEnv(a));
                System.out.println(r);
                report.put("openStreams", r);
            }
            if (phases.contains("warmup")) {
                List<Path> bundles = list(a.getOrDefault("warmup-bundles", bundle.toString())).stream()
                        .map(Path::of).toList();
                int requests = Integer.parseInt(a.getOrDefault("warmup-requests", "1000"));
                int runs = Integer.parseInt(a.getOrDefault("warmup-runs", "3"));
                System.out.printf("%nwarm-up: CPU per request after a fresh start, %d requests one at a time, %d runs"
                        + " per bundle...%n", requests, runs);
                var r = WarmUpRun.run(bundles, upstream, LoadBodies.named(a.getOrDefault("warmup-body", "claudeCode")),
                        requests, runs, ncpEnv(a));
                var medians = WarmUpRun.medians(r);
                medians.forEach((b, m) -> System.out.printf("median CPU ms/request by window, %s: %s%n", b, m));
                report.put("warmUp", Map.of("runs", r, "medians", medians));
            }
            if (phases.contains("cold")) {
                int runs = Integer.parseInt(a.getOrDefault("cold-runs", "5"));
                System.out.printf("%ncold start to first answered request (%d runs per variant)...%n", runs);
                var r = ColdStartRun.run(bundle, upstream, LoadBodies.named("tiny"), runs, ncpEnv(a));
                r.forEach(System.out::println);
                report.put("coldStart", r);
            }
        }
        report.put("loadAverageAfter", Machine.loadAverage());
        System.out.println("\nload average before: " + report.get("loadAverageBefore") + ", after: "
                + report.get("loadAverageAfter"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), report);
        System.out.println("JSON results: " + out);
    }

    private static Map<String, Object> load(Path bundle, ScriptedOpenAiUpstream upstream, Map<String, String> a)
            throws Exception {
        List<String> bodies = list(a.getOrDefault("bodies", "tiny,claudeCode"));
        int[] levels = list(a.getOrDefault("concurrency", "1,16,64,256")).stream().mapToInt(Integer::parseInt)
                .toArray();
        int minRequests = Integer.parseInt(a.getOrDefault("requests", "100"));
        String compareUrl = a.get("compare-url");
        List<ScenarioResult> rows = new ArrayList<>();
        Map<String, Object> result = new LinkedHashMap<>();
        try (NcpProcess ncp = NcpProcess.start(bundle, upstream.baseUrl(), ncpEnv(a))
                .awaitHealthy(Duration.ofSeconds(60))) {
            Thread.sleep(2_000);
            ProcStats idle = ncp.stats();
            result.put("ncpPid", ncp.pid());
            result.put("idleRssMbAfterStart", idle.rssKb() / 1024.0);
            System.out.printf("ncp pid %d at %s, idle RSS %.1f MB%n%n", ncp.pid(), ncp.baseUrl(), idle.rssKb() / 1024.0);
            System.out.println(ScenarioResult.header());
            for (String name : bodies) {
                LoadBodies body = LoadBodies.named(name);
                Target direct = Target.openAi("direct", upstream.baseUrl(), body.openAi());
                Target viaNcp = Target.anthropic("ncp", ncp.baseUrl(), body.anthropic());
                Target compare = compareUrl == null ? null : Target.anthropic("compare", compareUrl, body.anthropic());
                // Warm-up (not reported): JIT, connection pools, the token estimator's cache for this body.
                LoadGenerator.run(direct, 200, 16);
                LoadGenerator.run(viaNcp, 400, 16);
                if (compare != null) {
                    LoadGenerator.run(compare, 100, 16);
                }
                for (int c : levels) {
                    int requests = Math.max(minRequests, 4 * c);
                    ScenarioResult d = ScenarioResult.of(name, c, "direct", LoadGenerator.run(direct, requests, c),
                            null, null);
                    print(rows, d);
                    long cpuBefore = ncp.stats().cpuMillis();
                    Run n = LoadGenerator.run(viaNcp, requests, c);
                    double cpu = (ncp.stats().cpuMillis() - cpuBefore) / (double) requests;
                    print(rows, ScenarioResult.of(name, c, "ncp", n, d, cpu));
                    if (compare != null) {
                        long comparePid = Long.parseLong(a.getOrDefault("compare-pid", "-1"));
                        long before = comparePid > 0 ? ProcStats.of(comparePid).cpuMillis() : 0;
                        Run r = LoadGenerator.run(compare, requests, c);
                        Double compareCpu = comparePid > 0
                                ? (ProcStats.of(comparePid).cpuMillis() - before) / (double) requests : null;
                        print(rows, ScenarioResult.of(name, c, "compare", r, d, compareCpu));
                    }
                }
            }
            Thread.sleep(2_000);
            ProcStats after = ncp.stats();
            result.put("idleRssMbAfterLoad", after.rssKb() / 1024.0);
            result.put("peakRssMb", after.peakRssKb() / 1024.0);
            System.out.printf("%nncp RSS: idle after start %.1f MB, idle after load %.1f MB, peak (VmHWM) %.1f MB%n",
                    idle.rssKb() / 1024.0, after.rssKb() / 1024.0, after.peakRssKb() / 1024.0);
        }
        result.put("scenarios", rows);
        return result;
    }

    /** {@code --ncp-env K=V,K=V}: settings every ncp process of the run gets. */
    static Map<String, String> ncpEnv(Map<String, String> a) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String pair : list(a.getOrDefault("ncp-env", ""))) {
            int eq = pair.indexOf('=');
            env.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return env;
    }

    private static void print(List<ScenarioResult> rows, ScenarioResult row) {
        rows.add(row);
        System.out.println(row.row());
        if (row.firstError() != null) {
            System.out.println("    first error: " + row.firstError());
        }
    }

    static Map<String, String> args(String[] argv) {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + argv[i] + " (options are --name value)");
            }
            String key = argv[i].substring(2);
            boolean flag = i + 1 >= argv.length || argv[i + 1].startsWith("--");
            a.put(key, flag ? "true" : argv[++i]);
        }
        return a;
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
