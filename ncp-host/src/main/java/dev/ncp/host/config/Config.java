package dev.ncp.host.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ncp's whole configuration, built once at startup by {@link ConfigLoader}, validated, and never changed.
 * {@link #values()} keeps every raw setting (with defaults applied) for plugins that read their own.
 *
 * @param routes     scenario routes ({@code NCP_ROUTE_*} or the config file's {@code routes:}); all off by default
 * @param userModels the user's registry entries and Claude family targets (models file, config {@code models:})
 */
public record Config(
        Optional<String> nvidiaApiKey,
        URI nvidiaBaseUrl,
        UpstreamProtocol upstreamProtocol,
        Optional<String> proxyApiKey,
        String host,
        int port,
        String storageEngine,
        Path dataDirectory,
        List<Path> pluginDirectories,
        int rateLimitRpm,
        long maxRequestBodyBytes,
        Duration requestTimeout,
        Optional<String> defaultModel,
        Optional<Integer> defaultMaxTokens,
        Optional<Integer> hardMaxTokens,
        List<String> fallbackModels,
        Duration pingInterval,
        int textDeltaChars,
        boolean streamVisualization,
        boolean messageDeltaEveryBlock,
        ScenarioRoutes routes,
        UserModels userModels,
        FeatureSettings features,
        Resilience resilience,
        SecuritySettings security,
        ObservabilitySettings observability,
        GuardSettings guard,
        Map<String, String> values) {

    public Config {
        pluginDirectories = List.copyOf(pluginDirectories);
        fallbackModels = List.copyOf(fallbackModels);
        values = Map.copyOf(values);
    }

    /**
     * Deadlines and retries of upstream calls. The circuit breakers' settings ({@code NCP_BREAKER_*}) are
     * {@link BreakerSettings}, read by {@code BreakerSettings.of}: the breakers are per deployment and decide on a
     * failure rate, so they have a record of their own.
     *
     * @param connectTimeout   {@code NCP_CONNECT_TIMEOUT_SECONDS}
     * @param firstByteTimeout {@code NCP_FIRST_BYTE_TIMEOUT_SECONDS}: headers, and then the body's first byte
     * @param idleTimeout      {@code NCP_IDLE_TIMEOUT_SECONDS}: silence between chunks
     * @param maxRetries       {@code NCP_MAX_RETRIES}: retries per model, before any content reached the client
     * @param retryBackoff     {@code NCP_RETRY_BACKOFF_MS}: the first backoff; it doubles per retry
     * @param retryMaxWait     {@code NCP_RETRY_MAX_WAIT_SECONDS}: cap of backoff and of an honoured Retry-After
     */
    public record Resilience(Duration connectTimeout, Duration firstByteTimeout, Duration idleTimeout, int maxRetries,
                             Duration retryBackoff, Duration retryMaxWait) {

        /** The defaults of docs/configuration.md. */
        public static Resilience defaults() {
            return new Resilience(Duration.ofSeconds(10), Duration.ofSeconds(300), Duration.ofSeconds(300), 2,
                    Duration.ofSeconds(1), Duration.ofSeconds(10));
        }
    }

    /** What the upstream speaks: OpenAI chat completions (translated) or the Messages API (passed through). */
    public enum UpstreamProtocol { OPENAI, ANTHROPIC }

    /** Whether the proxy listens on a loopback address only. */
    public boolean loopbackOnly() {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:8788}. */
    public String listenUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        if (h.equals("0.0.0.0")) {
            h = "127.0.0.1";
        }
        return "http://" + h + ":" + port;
    }

    /** Same configuration listening on another port (used once the real port of port 0 is known). */
    public Config withPort(int newPort) {
        return new Config(nvidiaApiKey, nvidiaBaseUrl, upstreamProtocol, proxyApiKey, host, newPort, storageEngine,
                dataDirectory, pluginDirectories, rateLimitRpm, maxRequestBodyBytes, requestTimeout, defaultModel,
                defaultMaxTokens, hardMaxTokens, fallbackModels, pingInterval, textDeltaChars, streamVisualization,
                messageDeltaEveryBlock, routes, userModels, features, resilience, security, observability, guard, values);
    }

    /** Never prints a secret. */
    @Override
    public String toString() {
        return "Config[host=" + host + ", port=" + port + ", storage=" + storageEngine + ", upstream=" + nvidiaBaseUrl
                + ", nvidiaApiKey=" + nvidiaApiKey.map(Secrets::mask).orElse("(unset)")
                + ", proxyApiKey=" + proxyApiKey.map(Secrets::mask).orElse("(unset)") + "]";
    }
}
