package dev.ncp.bench.load;

import dev.ncp.bench.load.LoadGenerator.Run;
import dev.ncp.bench.load.StreamingCall.Outcome;

/**
 * One row of the load table: one body at one concurrency against one target ({@code direct}: the upstream in its
 * own format; {@code ncp}; or {@code compare}: another proxy). Times in ms; the {@code added…} fields are this
 * target's percentile minus the direct run's (null for direct), CPU per request is the target process's (null where
 * it is not measured).
 */
record ScenarioResult(String body, int concurrency, String target, int requests, int errors, String firstError,
                      double requestsPerSecond, double firstDeltaP50Ms, double firstDeltaP99Ms, double totalP50Ms,
                      double totalP99Ms, Double addedFirstDeltaP50Ms, Double addedFirstDeltaP99Ms,
                      Double cpuMsPerRequest) {

    static ScenarioResult of(String body, int concurrency, String target, Run run, ScenarioResult direct,
                             Double cpuMsPerRequest) {
        var ok = run.outcomes().stream().filter(Outcome::ok).toList();
        int errors = run.outcomes().size() - ok.size();
        String firstError = run.outcomes().stream().filter(o -> !o.ok()).map(Outcome::error).findFirst().orElse(null);
        Percentiles first = Percentiles.of(ok, Outcome::firstDeltaNanos);
        Percentiles total = Percentiles.of(ok, Outcome::totalNanos);
        double p50 = first.millis(50);
        double p99 = first.millis(99);
        return new ScenarioResult(body, concurrency, target, run.outcomes().size(), errors, firstError,
                run.outcomes().size() / (run.wallNanos() / 1e9), p50, p99, total.millis(50), total.millis(99),
                direct == null ? null : p50 - direct.firstDeltaP50Ms(),
                direct == null ? null : p99 - direct.firstDeltaP99Ms(), cpuMsPerRequest);
    }

    static String header() {
        return String.format("%-10s %5s %-7s %6s %4s %8s %9s %9s %9s %9s %9s %9s %8s",
                "body", "conc", "target", "reqs", "err", "req/s", "1st p50", "1st p99", "tot p50", "tot p99",
                "+1st p50", "+1st p99", "cpu/req");
    }

    String row() {
        return String.format("%-10s %5d %-7s %6d %4d %8.1f %9.3f %9.3f %9.2f %9.2f %9s %9s %8s",
                body, concurrency, target, requests, errors, requestsPerSecond, firstDeltaP50Ms, firstDeltaP99Ms,
                totalP50Ms, totalP99Ms, fmt(addedFirstDeltaP50Ms, "%.3f"), fmt(addedFirstDeltaP99Ms, "%.3f"),
                fmt(cpuMsPerRequest, "%.2f"));
    }

    private static String fmt(Double v, String format) {
        return v == null ? "-" : String.format(format, v);
    }
}
