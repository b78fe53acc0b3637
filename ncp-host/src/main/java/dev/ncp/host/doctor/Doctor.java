package dev.ncp.host.doctor;

import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageEngine;
import dev.ncp.api.storage.StorageException;
import dev.ncp.api.storage.StorageHealth;
import dev.ncp.api.storage.StorageSettings;
import dev.ncp.host.claudecode.ClaudeExecutable;
import dev.ncp.host.config.Config;
import dev.ncp.host.config.ConfigException;
import dev.ncp.host.config.Secrets;
import dev.ncp.host.http.ListenPort;
import dev.ncp.host.plugin.LoadedPlugin;
import dev.ncp.host.plugin.PluginHost;
import dev.ncp.host.plugin.PluginLoadFailure;
import dev.ncp.host.storage.StorageSelector;
import dev.ncp.host.upstream.NvidiaHostedApi;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@code ncp doctor} checks, in the order a new user meets the problems: the JDK, the key, the upstream and
 * the key's acceptance, each named upstream of the {@code upstreams:} section with its own key, storage, plugins,
 * the port, Claude Code. Each check is one {@link Finding}; none throws.
 */
public final class Doctor {

    /** The oldest Java release ncp runs on. */
    static final int MIN_JAVA = 21;

    private final Config config;
    private final Map<String, String> env;
    private final List<StorageEngine> builtinEngines;
    private final HttpClient http;
    private final UpstreamProbe upstream;
    private final NamedUpstreamProbe namedUpstream;

    /**
     * @param env             the process environment (where Claude Code is looked up)
     * @param upstreamTimeout how long the upstream may take to answer {@code GET /models}
     */
    public Doctor(Config config, Map<String, String> env, List<StorageEngine> builtinEngines, HttpClient http,
                  Duration upstreamTimeout) {
        this.config = config;
        this.env = Map.copyOf(env);
        this.builtinEngines = List.copyOf(builtinEngines);
        this.http = http;
        this.upstream = new UpstreamProbe(http, upstreamTimeout);
        this.namedUpstream = new NamedUpstreamProbe(http, upstreamTimeout);
    }

    public List<Finding> examine() {
        List<Finding> findings = new ArrayList<>();
        Runtime.Version version = Runtime.version();
        findings.add(java(version.feature(), version + " (" + System.getProperty("java.home") + ")"));
        findings.add(apiKey());
        findings.add(upstream.probe(config));
        config.userModels().upstreams().values().forEach(u -> findings.add(namedUpstream.probe(u)));
        try (PluginHost plugins = PluginHost.load(config.pluginDirectories())) {
            findings.add(storage(plugins));
            findings.addAll(plugins(plugins));
        }
        findings.add(port());
        findings.add(claudeCode());
        return findings;
    }

    static Finding java(int feature, String description) {
        return feature >= MIN_JAVA
                ? Finding.ok("Java " + description)
                : Finding.problem("Java " + description + " is older than " + MIN_JAVA,
                        "install a JDK " + MIN_JAVA + " or newer (e.g. apt-get install openjdk-21-jdk-headless)");
    }

    private Finding apiKey() {
        if (config.nvidiaApiKey().isPresent()) {
            return Finding.ok("NVIDIA_API_KEY is set (" + Secrets.mask(config.nvidiaApiKey().get()) + ")");
        }
        return NvidiaHostedApi.isUpstream(config)
                ? Finding.problem("NVIDIA_API_KEY is not set", NvidiaHostedApi.KEY_FIX)
                : Finding.ok("NVIDIA_API_KEY is not set (" + config.nvidiaBaseUrl()
                        + " is not NVIDIA's hosted API; a self-hosted NIM usually needs none)");
    }

    private Finding storage(PluginHost plugins) {
        List<StorageEngine> engines = new ArrayList<>(builtinEngines);
        engines.addAll(plugins.extensions(StorageEngine.class));
        String name = config.storageEngine();
        try {
            StorageEngine engine = StorageSelector.select(name, engines, config.pluginDirectories());
            try (Storage storage = engine.open(new StorageSettings(config.dataDirectory(), config.values()))) {
                StorageHealth health = storage.health();
                return health.healthy()
                        ? Finding.ok("storage " + name + " opens and is healthy (" + health.detail() + ")")
                        : Finding.problem("storage " + name + " opens but is unhealthy: " + health.detail(),
                                "see the detail; STORAGE_ENGINE=memory runs without persistence meanwhile");
            }
        } catch (ConfigException e) {
            return Finding.problem("storage " + name + " is not available", e.getMessage());
        } catch (StorageException e) {
            return Finding.problem("storage " + name + " does not open: " + e.getMessage(),
                    "fix what the message names, or choose STORAGE_ENGINE=memory");
        }
    }

    private static List<Finding> plugins(PluginHost plugins) {
        List<Finding> findings = new ArrayList<>();
        List<LoadedPlugin> loaded = plugins.plugins();
        String dirs = plugins.directories().stream().map(Object::toString).collect(Collectors.joining(", "));
        findings.add(Finding.ok(loaded.isEmpty() ? "no plugins found in " + dirs
                : "plugins loaded: " + loaded.stream().map(p -> p.id() + " " + p.version())
                        .collect(Collectors.joining(", "))));
        for (PluginLoadFailure failure : plugins.failures()) {
            findings.add(Finding.problem("plugin " + failure,
                    "remove " + failure.file() + " or replace it with a build for this ncp version"));
        }
        return findings;
    }

    private Finding port() {
        String where = "port " + config.port() + " on " + config.host();
        if (ListenPort.isFree(config.host(), config.port())) {
            return Finding.ok(where + " is free");
        }
        var running = new RunningNcp(http, Duration.ofSeconds(2)).health(config.listenUrl(), config.proxyApiKey());
        if (running.isPresent()) {
            // That is the proxy this setup is for: ncp code uses it, ncp status describes it.
            return Finding.ok(where + ": ncp " + running.get().path("version").asText() + " is running there ("
                    + running.get().path("status").asText() + ")");
        }
        return Finding.problem(where + " is in use (not by an ncp)",
                "stop what listens there, or choose another port with PROXY_PORT or --port"
                        + " (ncp code picks a free one by itself)");
    }

    private Finding claudeCode() {
        return switch (ClaudeExecutable.locate(env)) {
            case ClaudeExecutable.Found found -> Finding.ok("Claude Code: " + found.path());
            case ClaudeExecutable.Missing missing -> Finding.problem("Claude Code " + missing.reason(),
                    ClaudeExecutable.INSTALL + " (or set " + ClaudeExecutable.ENV + " to its path)");
        };
    }
}
