package dev.ncp.bench.load;

import dev.ncp.bench.load.StreamingCall.Outcome;
import dev.ncp.bench.load.StreamingCall.Target;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The warm-up curve: what the first requests after start cost while the JIT catches up. A fresh {@code bin/ncp
 * proxy} per run, then requests one at a time (one client, as Claude Code sends them), and ncp's CPU per request
 * (utime + stime, every thread: JIT and GC included) over requests 1–50, 51–200 and 201–N, with the first-delta
 * median of each window. Several bundles (e.g. with and without the AOT cache, or caches trained differently)
 * alternate run by run, so a change in the machine's load falls on all of them alike.
 */
final class WarmUpRun {

    /** The first request of each window (1-based); the last window ends at the run's last request. */
    private static final int[] WINDOW_STARTS = {1, 51, 201};

    record Result(String bundle, int run, List<Window> windows, String error) {

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(String.format("%-28s run %d:", Path.of(bundle).getFileName(), run));
            for (Window w : windows) {
                b.append(String.format("  %d–%d: %.2f ms CPU/req, 1st delta p50 %.2f ms", w.from(), w.to(),
                        w.cpuMillisPerRequest(), w.firstDeltaP50Millis()));
            }
            return error == null ? b.toString() : b + "  ERROR " + error;
        }
    }

    record Window(int from, int to, double cpuMillisPerRequest, double firstDeltaP50Millis) {
    }

    private WarmUpRun() {
    }

    static List<Result> run(List<Path> bundles, ScriptedOpenAiUpstream upstream, LoadBodies body, int requests,
                            int runs, Map<String, String> env) throws Exception {
        List<Result> results = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            for (Path bundle : bundles) {
                Result r = once(bundle, run, upstream, body, requests, env);
                System.out.println(r);
                results.add(r);
            }
        }
        return results;
    }

    private static Result once(Path bundle, int run, ScriptedOpenAiUpstream upstream, LoadBodies body, int requests,
                               Map<String, String> env) throws Exception {
        try (NcpProcess ncp = NcpProcess.start(bundle, upstream.baseUrl(), env).awaitHealthy(Duration.ofSeconds(60));
             HttpClient http = LoadGenerator.newClient()) {
            Target target = Target.anthropic("ncp", ncp.baseUrl(), body.anthropic());
            List<Window> windows = new ArrayList<>();
            String error = null;
            int next = 1;
            for (int w = 0; w < WINDOW_STARTS.length && next <= requests; w++) {
                int to = w + 1 < WINDOW_STARTS.length ? Math.min(requests, WINDOW_STARTS[w + 1] - 1) : requests;
                long cpuBefore = ncp.stats().cpuMillis();
                List<Outcome> outcomes = new ArrayList<>();
                for (; next <= to; next++) {
                    Outcome o = StreamingCall.run(http, target, false, Duration.ofSeconds(60));
                    if (!o.ok() && error == null) {
                        error = "request " + next + ": " + o.error();
                    }
                    outcomes.add(o);
                }
                double cpu = (ncp.stats().cpuMillis() - cpuBefore) / (double) outcomes.size();
                windows.add(new Window(WINDOW_STARTS[w], to, cpu,
                        Percentiles.of(outcomes, Outcome::firstDeltaNanos).millis(50)));
            }
            return new Result(bundle.toString(), run, windows, error);
        }
    }

    /** The windows' CPU per request, median over runs, per bundle: the curve to quote. */
    static Map<String, List<Double>> medians(List<Result> results) {
        Map<String, List<List<Double>>> byBundle = new LinkedHashMap<>();
        for (Result r : results) {
            List<List<Double>> perWindow = byBundle.computeIfAbsent(r.bundle(), b -> new ArrayList<>());
            for (int i = 0; i < r.windows().size(); i++) {
                while (perWindow.size() <= i) {
                    perWindow.add(new ArrayList<>());
                }
                perWindow.get(i).add(r.windows().get(i).cpuMillisPerRequest());
            }
        }
        Map<String, List<Double>> medians = new LinkedHashMap<>();
        byBundle.forEach((bundle, perWindow) -> medians.put(bundle, perWindow.stream().map(v -> {
            List<Double> s = v.stream().sorted().toList();
            return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
        }).toList()));
        return medians;
    }
}
