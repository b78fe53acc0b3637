package dev.ncp.host.config;

import java.time.Duration;

/**
 * How the circuit breaker of each deployment (a model on one upstream) decides (docs/resilience.md explains the
 * defaults with the chaos test's figures).
 *
 * @param consecutiveFailures {@code NCP_BREAKER_FAILURES}: counted failures in a row that open it at once (a dead
 *                            upstream); 0 disables breakers altogether
 * @param failureRatePercent  {@code NCP_BREAKER_FAILURE_RATE}: the share of failed calls in the window that opens it
 * @param minimumCalls        {@code NCP_BREAKER_MIN_CALLS}: calls the window needs before its rate counts
 * @param window              {@code NCP_BREAKER_WINDOW_SECONDS}: the window the rate is counted over
 * @param openFor             {@code NCP_BREAKER_OPEN_SECONDS}: the first open period; it doubles each time the
 *                            half-open probe fails
 * @param maxOpen             {@code NCP_BREAKER_MAX_OPEN_SECONDS}: the longest open period
 * @param panicPercent        {@code NCP_BREAKER_PANIC_PERCENT}: the share of requests still let through, as probes,
 *                            when every candidate of a request is open; 0 refuses them all
 */
public record BreakerSettings(int consecutiveFailures, int failureRatePercent, int minimumCalls, Duration window,
                              Duration openFor, Duration maxOpen, int panicPercent) {

    public static BreakerSettings defaults() {
        return new BreakerSettings(8, 50, 20, Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(300),
                10);
    }

    public boolean enabled() {
        return consecutiveFailures > 0;
    }

    /** The breaker settings of a loaded configuration (validated when it loaded). */
    public static BreakerSettings of(Config config) {
        return from(new SettingValues(config.values()));
    }

    static BreakerSettings from(SettingValues v) {
        var d = defaults();
        Duration openFor = seconds(v, Setting.NCP_BREAKER_OPEN_SECONDS, 1, 86_400, d.openFor());
        Duration maxOpen = seconds(v, Setting.NCP_BREAKER_MAX_OPEN_SECONDS, 1, 86_400, d.maxOpen());
        if (maxOpen.compareTo(openFor) < 0) {
            throw ConfigException.invalid(Setting.NCP_BREAKER_MAX_OPEN_SECONDS, Long.toString(maxOpen.toSeconds()),
                    "must be at least NCP_BREAKER_OPEN_SECONDS (" + openFor.toSeconds() + ")");
        }
        return new BreakerSettings(
                v.integer(Setting.NCP_BREAKER_FAILURES, 0, 1_000).orElse(d.consecutiveFailures()),
                v.integer(Setting.NCP_BREAKER_FAILURE_RATE, 1, 100).orElse(d.failureRatePercent()),
                v.integer(Setting.NCP_BREAKER_MIN_CALLS, 1, 100_000).orElse(d.minimumCalls()),
                seconds(v, Setting.NCP_BREAKER_WINDOW_SECONDS, 1, 3_600, d.window()),
                openFor, maxOpen,
                v.integer(Setting.NCP_BREAKER_PANIC_PERCENT, 0, 100).orElse(d.panicPercent()));
    }

    private static Duration seconds(SettingValues v, Setting s, int min, int max, Duration otherwise) {
        return v.integer(s, min, max).map(n -> Duration.ofSeconds(n)).orElse(otherwise);
    }
}
