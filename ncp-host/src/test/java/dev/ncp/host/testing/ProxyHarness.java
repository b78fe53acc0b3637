package dev.ncp.host.testing;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import dev.ncp.api.storage.StorageEngine;
import dev.ncp.host.config.ConfigLoader;
import dev.ncp.host.server.NcpServer;
import dev.ncp.host.storage.BuiltinStorageEngines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real ncp server on loopback in front of a {@link ScriptedUpstream}, and an official Anthropic Java SDK client
 * pointed at it: the whole request path, with only NVIDIA simulated.
 */
public final class ProxyHarness implements AutoCloseable {

    public static final String UPSTREAM_KEY = "nvapi-test-0123456789abcdef";
    /** The key the harness's SDK client sends (as x-api-key): a test sets PROXY_API_KEY to it to let it in. */
    public static final String CLIENT_KEY = "sk-ant-test";

    private final ScriptedUpstream upstream;
    private final NcpServer server;
    private final AnthropicClient client;
    private final Path home;

    private ProxyHarness(ScriptedUpstream upstream, NcpServer server, Path home) {
        this.upstream = upstream;
        this.server = server;
        this.home = home;
        this.client = AnthropicOkHttpClient.builder()
                .baseUrl(server.config().listenUrl())
                .apiKey(CLIENT_KEY)
                .maxRetries(0)
                .build();
    }

    public static ProxyHarness start() {
        return start(Map.of());
    }

    /** Starts ncp with memory storage, its upstream at the scripted server, plus {@code env} settings. */
    public static ProxyHarness start(Map<String, String> env) {
        return start(env, BuiltinStorageEngines.all());
    }

    /** Like {@link #start(Map)}, with these engines built in (tests add engines that fail on purpose). */
    public static ProxyHarness start(Map<String, String> env, List<StorageEngine> builtinEngines) {
        ScriptedUpstream upstream = ScriptedUpstream.start();
        try {
            Path home = Files.createTempDirectory("ncp-harness");
            Map<String, String> all = new HashMap<>();
            all.put("STORAGE_ENGINE", "memory");
            all.put("PROXY_PORT", "0");
            all.put("NVIDIA_BASE_URL", upstream.baseUrl().toString());
            all.put("NVIDIA_API_KEY", UPSTREAM_KEY);
            all.put("NCP_PLUGINS_DIR", home.resolve("no-plugins").toString());
            all.putAll(env);
            var config = new ConfigLoader(all, home, Optional.empty()).load(Optional.empty(), Map.of());
            return new ProxyHarness(upstream, NcpServer.start(config, builtinEngines), home);
        } catch (IOException | RuntimeException e) {
            upstream.close();
            throw new IllegalStateException("cannot start the proxy harness", e);
        }
    }

    public ScriptedUpstream upstream() {
        return upstream;
    }

    public AnthropicClient client() {
        return client;
    }

    public String baseUrl() {
        return server.config().listenUrl();
    }

    /** The running ncp itself, for tests that look inside (e.g. at its visualization bus). */
    public NcpServer server() {
        return server;
    }

    public Path home() {
        return home;
    }

    @Override
    public void close() {
        client.close();
        server.close();
        upstream.close();
    }
}
