package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.testing.Fixtures;
import dev.ncp.host.testing.ScriptedUpstream.RecordedRequest;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.ScriptedUpstream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle under an upstream that fails a fifth of its answers (truncated streams, a gateway's 502 HTML page,
 * 503 overloaded, 404 unknown model) while 5 % of clients hang up mid-answer: three rounds of 600 streamed requests
 * at 24 clients, back to back. Every answer must be clean (a whole stream, a stream ended by one {@code error}
 * event, or an Anthropic error body), at least 70 % of them whole in every round — a breaker that counted failures
 * instead of their rate would black the model out after the first round — and threads, descriptors and upstream
 * connections must be back near where they started. And with the upstream wholly down, the breaker opens, ncp
 * answers at once with {@code overloaded_error} and {@code retry-after}, and one probe brings it back.
 */
class UpstreamChaosBundleTest {

    private static final int CLIENTS = 24;
    private static final int PER_ROUND = 600;
    private static final String MODEL = "qwen/qwen3-coder-480b-a35b-instruct";
    private static final String FALLBACK = "meta/llama-3.3-70b-instruct";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] OK = Fixtures.upstream("text-stop-usage-last.sse");

    @TempDir
    Path work;

    private final ScriptedUpstream upstream = ScriptedUpstream.start();
    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
            .connectTimeout(Duration.ofSeconds(5)).build();
    private BundleProcess ncp;

    @AfterEach
    void stop() throws Exception {
        if (ncp != null) {
            ncp.close();
        }
        upstream.close();
        http.close();
    }

    private enum Outcome { WHOLE, ERROR_EVENT, ERROR_BODY, HUNG_UP, UNCLEAN }

    /** A fifth of the answers fail, each way equally often; the rest are whole. Seeded: every run the same mix. */
    private static final class Chaos {
        private final Random random = new Random(21);

        synchronized Script next(RecordedRequest request) {
            int roll = random.nextInt(100);
            if (roll < 5) {
                return Script.stream(Arrays.copyOf(OK, OK.length / 2)).thenReset(); // truncated mid-answer
            } else if (roll < 10) {
                return Script.error("gateway-502-html");
            } else if (roll < 15) {
                return Script.error("nim-503-overloaded");
            } else if (roll < 20) {
                return Script.error("nim-404-unknown-model");
            }
            return Script.stream(OK);
        }
    }

    @Test
    @Timeout(900)
    void threeRoundsOfMixedFaultsStayCleanMostlyWholeAndLeaveNothingBehind() throws Exception {
        var chaos = new Chaos();
        upstream.fallback(chaos::next);
        ncp = new BundleProcess(Files.createDirectories(work.resolve("ncp")))
                .env("NVIDIA_BASE_URL", upstream.baseUrl().toString()).env("NVIDIA_API_KEY", "nvapi-chaos-0123456789")
                .env("NCP_FALLBACK_MODELS", FALLBACK).start();
        round(60, 0); // warm-up at the same concurrency: classes, pools, pooled upstream connections
        Thread.sleep(1000);
        Baseline before = Baseline.of(ncp, upstream);
        long started = System.nanoTime();
        for (int r = 1; r <= 3; r++) {
            long roundStart = System.nanoTime();
            var counts = round(PER_ROUND, r);
            long answered = PER_ROUND - counts[Outcome.HUNG_UP.ordinal()];
            System.out.printf("chaos round %d: %s in %d ms%n", r, describe(counts),
                    (System.nanoTime() - roundStart) / 1_000_000);
            assertEquals(0, counts[Outcome.UNCLEAN.ordinal()], "round " + r + ": " + describe(counts));
            assertTrue(counts[Outcome.WHOLE.ordinal()] >= 0.70 * PER_ROUND, "round " + r + ": " + describe(counts));
            assertTrue(answered > 0);
        }
        System.out.printf("chaos: three rounds in %d s%n", (System.nanoTime() - started) / 1_000_000_000);
        Thread.sleep(3000); // hung-up streams' upstream exchanges end, idle connections settle
        Baseline after = Baseline.of(ncp, upstream);
        System.out.println("chaos: before " + before + ", after " + after);
        assertTrue(after.threads() <= before.threads() + 10, before + " -> " + after);
        assertTrue(after.descriptors() <= before.descriptors() + 8, before + " -> " + after);
        assertTrue(after.upstreamConnections() <= before.upstreamConnections() + 4, before + " -> " + after);
    }

    @Test
    @Timeout(300)
    void aWhollyDownUpstreamIsRefusedFastWithRetryAfterAndOneProbeBringsItBack() throws Exception {
        upstream.fallback(Script.resetBeforeHeaders()); // every connection reset: a crashed upstream
        ncp = new BundleProcess(Files.createDirectories(work.resolve("ncp")))
                .env("NVIDIA_BASE_URL", upstream.baseUrl().toString()).env("NVIDIA_API_KEY", "nvapi-chaos-0123456789")
                .env("NCP_RETRY_BACKOFF_MS", "20").env("NCP_BREAKER_OPEN_SECONDS", "2").start();
        int failing = 0;
        while (!refused(post(false))) {
            assertTrue(++failing < 10, "the breaker opens after failures in a row");
        }
        int callsWhenOpen = upstream.requests().size();
        List<Long> millis = new ArrayList<>();
        int overloaded = 0;
        for (int i = 0; i < 20; i++) {
            long t = System.nanoTime();
            HttpResponse<InputStream> r = post(false);
            millis.add((System.nanoTime() - t) / 1_000_000);
            String body = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
            JsonNode error = JSON.readTree(body).path("error");
            assertTrue(r.headers().firstValue("request-id").orElse("").startsWith("req_"), body);
            if (r.statusCode() == 529) {
                overloaded++;
                assertEquals("overloaded_error", error.path("type").asText(), body);
                long retryAfter = Long.parseLong(r.headers().firstValue("retry-after").orElseThrow());
                assertTrue(retryAfter >= 1 && retryAfter <= 2, "retry-after is the open time left: " + retryAfter);
            } else {
                assertEquals("api_error", error.path("type").asText(), "a panic-mode probe's failure: " + body);
            }
        }
        millis.sort(null);
        System.out.println("upstream down, breaker open: answer times (ms) " + millis);
        assertTrue(overloaded >= 18, "at most every tenth refused request is sent anyway: " + overloaded);
        assertTrue(millis.get(millis.size() / 2) < 1000, "answered at once: " + millis);
        assertTrue(upstream.requests().size() - callsWhenOpen <= 2, "only panic probes reached the upstream");

        upstream.fallback(Script.stream(OK)); // the upstream is back
        Thread.sleep(2200); // the open time passes (a panic-mode probe that fails does not lengthen it)
        int before = upstream.requests().size();
        HttpResponse<InputStream> probe = post(false);
        assertEquals(200, probe.statusCode(), new String(probe.body().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(before + 1, upstream.requests().size(), "one probe call");
        for (int i = 0; i < 5; i++) {
            assertEquals(200, post(false).statusCode(), "closed again");
        }
    }

    private static boolean refused(HttpResponse<InputStream> r) throws IOException {
        r.body().readAllBytes();
        return r.statusCode() == 529;
    }

    private HttpResponse<InputStream> post(boolean stream) throws Exception {
        String body = "{\"model\":\"" + MODEL + "\",\"max_tokens\":256,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        var request = HttpRequest.newBuilder(URI.create(ncp.url("/v1/messages"))).timeout(Duration.ofSeconds(120))
                .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    /** {@code n} streamed requests at {@link #CLIENTS} clients; every twentieth client hangs up mid-answer. */
    private int[] round(int n, int round) throws Exception {
        var outcomes = new ConcurrentLinkedQueue<Outcome>();
        try (var clients = Executors.newFixedThreadPool(CLIENTS, Thread.ofVirtual().factory())) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                boolean hangUp = i % 20 == 7;
                all.add(clients.submit(() -> {
                    outcomes.add(oneAnswer(hangUp));
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        }
        int[] counts = new int[Outcome.values().length];
        outcomes.forEach(o -> counts[o.ordinal()]++);
        return counts;
    }

    private Outcome oneAnswer(boolean hangUp) throws Exception {
        HttpResponse<InputStream> r = post(true);
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                JsonNode body = JSON.readTree(in.readAllBytes());
                boolean clean = body.path("type").asText().equals("error")
                        && !body.path("error").path("type").asText().isEmpty()
                        && r.headers().firstValue("request-id").isPresent();
                return clean ? Outcome.ERROR_BODY : Outcome.UNCLEAN;
            }
            var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String event = null;
            boolean stopped = false;
            boolean errored = false;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                    if (hangUp && event.equals("content_block_delta")) {
                        return Outcome.HUNG_UP; // closing the stream hangs up
                    }
                    if (stopped || errored) {
                        return Outcome.UNCLEAN; // nothing may follow message_stop or error
                    }
                } else if (line.startsWith("data: ") && event != null) {
                    JsonNode data = JSON.readTree(line.substring(6));
                    if (event.equals("message_stop")) {
                        stopped = true;
                    } else if (event.equals("error")) {
                        errored = data.path("type").asText().equals("error")
                                && !data.path("error").path("type").asText().isEmpty();
                        if (!errored) {
                            return Outcome.UNCLEAN;
                        }
                    }
                }
            }
            return stopped ? Outcome.WHOLE : errored ? Outcome.ERROR_EVENT : Outcome.UNCLEAN;
        } catch (IOException e) {
            return Outcome.UNCLEAN; // a torn connection
        }
    }

    private static String describe(int[] counts) {
        var parts = new ArrayList<String>();
        for (Outcome o : Outcome.values()) {
            parts.add(o.name().toLowerCase() + "=" + counts[o.ordinal()]);
        }
        return String.join(" ", parts);
    }

    /** The bundle process's threads and open descriptors, and the upstream's open connections. */
    private record Baseline(int threads, int descriptors, int upstreamConnections) {
        static Baseline of(BundleProcess ncp, ScriptedUpstream upstream) throws IOException {
            Path proc = Path.of("/proc", Long.toString(ncp.pid()));
            int threads = Files.readAllLines(proc.resolve("status")).stream().filter(l -> l.startsWith("Threads:"))
                    .mapToInt(l -> Integer.parseInt(l.substring(8).strip())).findFirst().orElse(-1);
            int fds;
            try (var list = Files.list(proc.resolve("fd"))) {
                fds = (int) list.count();
            }
            return new Baseline(threads, fds, upstream.openConnections());
        }
    }
}
