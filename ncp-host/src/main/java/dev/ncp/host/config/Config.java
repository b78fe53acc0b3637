package dev.ncp.host.config;

import dev.ncp.host.model.ScenarioRoutes;
import dev.ncp.host.model.UserModels;
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
        Map<String, String> values) {

    public Config {
        pluginDirectories = List.copyOf(pluginDirectories);
        fallbackModels = List.copyOf(fallbackModels);
        values = Map.copyOf(values);
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
                messageDeltaEveryBlock, routes, userModels, features, values);
    }

    /** Never prints a secret. */
    @Override
    public String toString() {
        return "Config[host=" + host + ", port=" + port + ", storage=" + storageEngine + ", upstream=" + nvidiaBaseUrl
                + ", nvidiaApiKey=" + nvidiaApiKey.map(Secrets::mask).orElse("(unset)")
                + ", proxyApiKey=" + proxyApiKey.map(Secrets::mask).orElse("(unset)") + "]";
    }
}
