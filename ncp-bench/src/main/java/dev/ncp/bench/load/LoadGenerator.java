package dev.ncp.bench.load;

import dev.ncp.bench.load.StreamingCall.Outcome;
import dev.ncp.bench.load.StreamingCall.Target;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded, closed-loop load generator: {@code concurrency} virtual threads share a fixed count of requests, each
 * sending its next one when the previous stream has ended. Loopback only; one JDK {@link HttpClient} (HTTP/1.1,
 * keep-alive) per run.
 */
final class LoadGenerator {

    /** The outcomes of one run and how long it took from the first request sent to the last stream ended. */
    record Run(List<Outcome> outcomes, long wallNanos) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private LoadGenerator() {
    }

    static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    static Run run(Target target, int requests, int concurrency) throws InterruptedException {
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>(requests));
        AtomicInteger next = new AtomicInteger();
        try (HttpClient http = newClient()) {
            long start = System.nanoTime();
            List<Thread> workers = new ArrayList<>(concurrency);
            for (int w = 0; w < concurrency; w++) {
                workers.add(Thread.ofVirtual().start(() -> {
                    while (next.getAndIncrement() < requests) {
                        outcomes.add(StreamingCall.run(http, target, false, TIMEOUT));
                    }
                }));
            }
            for (Thread worker : workers) {
                worker.join();
            }
            return new Run(List.copyOf(outcomes), System.nanoTime() - start);
        }
    }
}
