package dev.ncp.bench.load;

import dev.ncp.bench.load.StreamingCall.Outcome;
import dev.ncp.bench.load.StreamingCall.Target;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many slow streams open at once through one ncp started with {@code R2_PING_INTERVAL=1}: the upstream sends a
 * chunk every few seconds, so ncp must fill each silence with pings. Measures errors, ncp's resident memory while
 * every stream is open (and so memory per open stream), and on a sample of streams the gaps between consecutive SSE
 * events: with pings on time no gap exceeds the ping interval by much.
 */
final class OpenStreamsRun {

    /** A gap between events above this is a late ping (interval 1 s, plus scheduling slack on a loaded machine). */
    static final double ON_TIME_MS = 1_500;

    record Result(int streams, int errors, String firstError, double idleRssMb, double peakRssMbWhileOpen,
                  double kbPerStream, int sampledStreams, double pingsPerSampledStream, double gapP50Ms,
                  double gapP99Ms, double gapMaxMs, int lateGaps, int lateGapsFirstOfStream, boolean pingsOnTime,
                  double cpuSecondsNcp, double wallSeconds) {
    }

    private OpenStreamsRun() {
    }

    static Result run(Path bundle, ScriptedOpenAiUpstream upstream, LoadBodies body, int streams,
                      Map<String, String> env) throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(env);
        settings.put("R2_PING_INTERVAL", "1");
        try (NcpProcess ncp = NcpProcess.start(bundle, upstream.slowBaseUrl(), settings)
                .awaitHealthy(Duration.ofSeconds(60))) {
            Target target = Target.anthropic("ncp", ncp.baseUrl(), body.anthropic());
            try (HttpClient warm = LoadGenerator.newClient()) { // load the request path's classes before measuring
                StreamingCall.run(warm, target, false, Duration.ofSeconds(120));
            }
            Thread.sleep(1_000);
            ProcStats idle = ncp.stats();
            AtomicLong peakRss = new AtomicLong();
            List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
            int sampleEvery = Math.max(1, streams / 50);
            long start = System.nanoTime();
            try (HttpClient http = LoadGenerator.newClient()) {
                List<Thread> threads = new ArrayList<>(streams);
                for (int i = 0; i < streams; i++) {
                    boolean sampled = i % sampleEvery == 0;
                    threads.add(Thread.ofVirtual().start(() ->
                            outcomes.add(StreamingCall.run(http, target, sampled, Duration.ofSeconds(300)))));
                }
                Thread sampler = Thread.ofVirtual().start(() -> {
                    while (!Thread.currentThread().isInterrupted() && ncp.isAlive()) {
                        peakRss.accumulateAndGet(ncp.stats().rssKb(), Math::max);
                        try {
                            Thread.sleep(200);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                for (Thread t : threads) {
                    t.join();
                }
                sampler.interrupt();
                sampler.join();
            }
            long wall = System.nanoTime() - start;
            ProcStats after = ncp.stats();
            return summarize(streams, outcomes, idle, peakRss.get(), after, wall / 1e9);
        }
    }

    private static Result summarize(int streams, List<Outcome> outcomes, ProcStats idle, long peakRssKb,
                                    ProcStats after, double wallSeconds) {
        int errors = (int) outcomes.stream().filter(o -> !o.ok()).count();
        String firstError = outcomes.stream().filter(o -> !o.ok()).map(Outcome::error).findFirst().orElse(null);
        List<Outcome> sampled = outcomes.stream().filter(o -> !o.eventNanos().isEmpty()).toList();
        List<Long> gaps = new ArrayList<>();
        long pings = 0;
        int late = 0;
        int lateFirst = 0; // late gaps right after the stream's opening events (message_start, content_block_start)
        for (Outcome o : sampled) {
            pings += o.pings();
            for (int i = 1; i < o.eventNanos().size(); i++) {
                long gap = o.eventNanos().get(i) - o.eventNanos().get(i - 1);
                gaps.add(gap);
                if (gap > ON_TIME_MS * 1e6) {
                    late++;
                    lateFirst += i <= 2 ? 1 : 0;
                }
            }
        }
        Percentiles gap = Percentiles.ofNanos(gaps.stream().mapToLong(Long::longValue).toArray());
        return new Result(streams, errors, firstError, idle.rssKb() / 1024.0, peakRssKb / 1024.0,
                (peakRssKb - idle.rssKb()) / (double) streams, sampled.size(),
                sampled.isEmpty() ? 0 : pings / (double) sampled.size(), gap.millis(50), gap.millis(99),
                gap.maxMillis(), late, lateFirst, gap.count() > 0 && late == 0,
                (after.cpuMillis() - idle.cpuMillis()) / 1000.0, wallSeconds);
    }
}
