package dev.ncp.host.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.auth.AuthProvider;
import dev.ncp.api.model.ModelAdapter;
import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageEngine;
import dev.ncp.api.storage.StorageSettings;
import dev.ncp.api.stream.StreamProcessor;
import dev.ncp.host.anthropic.Ids;
import dev.ncp.host.anthropic.MessagesRequestParser;
import dev.ncp.host.auth.AuthChain;
import dev.ncp.host.config.BreakerSettings;
import dev.ncp.host.config.Config;
import dev.ncp.host.config.FeatureSettings;
import dev.ncp.host.config.GuardSettings;
import dev.ncp.host.config.SecuritySettings;
import dev.ncp.host.config.Setting;
import dev.ncp.host.config.Version;
import dev.ncp.host.dashboard.DashboardAssets;
import dev.ncp.host.dashboard.DashboardQueries;
import dev.ncp.host.dashboard.DashboardStatus;
import dev.ncp.host.dashboard.DashboardTokenHandler;
import dev.ncp.host.dashboard.DashboardTokens;
import dev.ncp.host.dashboard.VisualizationSocket;
import dev.ncp.host.error.ErrorResponses;
import dev.ncp.host.health.HealthHandler;
import dev.ncp.host.health.ProbeHandler;
import dev.ncp.host.health.Readiness;
import dev.ncp.host.health.UpstreamReachability;
import dev.ncp.host.http.AuthFilter;
import dev.ncp.host.http.BodyDeadline;
import dev.ncp.host.http.BrowserGuard;
import dev.ncp.host.http.CompletedRequests;
import dev.ncp.host.http.GracefulStop;
import dev.ncp.host.http.JettyErrors;
import dev.ncp.host.http.RequestIds;
import dev.ncp.host.http.RequestSizeLimit;
import dev.ncp.host.http.Routes;
import dev.ncp.host.idempotency.IdempotencyStore;
import dev.ncp.host.idempotency.IdempotentMessages;
import dev.ncp.host.limits.RequestRateLimiter;
import dev.ncp.host.limits.DefaultUpstreamRequests;
import dev.ncp.host.limits.UpstreamGate;
import dev.ncp.host.messages.CountTokensHandler;
import dev.ncp.host.messages.MessagesHandler;
import dev.ncp.host.messages.UpstreamKey;
import dev.ncp.host.model.AdapterSelector;
import dev.ncp.host.model.ModelRegistry;
import dev.ncp.host.model.ModelsHandler;
import dev.ncp.host.model.ScenarioRouter;
import dev.ncp.host.observe.Observability;
import dev.ncp.host.observe.ResilienceMetrics;
import dev.ncp.host.observe.Tracing;
import dev.ncp.host.passthrough.AnthropicPassThrough;
import dev.ncp.host.passthrough.MessagesApiDeployments;
import dev.ncp.host.plan.AnswerPlanner;
import dev.ncp.host.plan.ResponseChains;
import dev.ncp.host.plugin.PluginHost;
import dev.ncp.host.processors.guard.LoopNote;
import dev.ncp.host.processors.guard.OpenModelGuard;
import dev.ncp.host.pump.AnswerPump;
import dev.ncp.host.pump.PumpSettings;
import dev.ncp.host.resilience.UpstreamResilience;
import dev.ncp.host.response.UpstreamErrorMapper;
import dev.ncp.host.response.UpstreamJson;
import dev.ncp.host.security.InstallSecret;
import dev.ncp.host.security.ThinkingSigner;
import dev.ncp.host.sessions.SessionIds;
import dev.ncp.host.sessions.SessionStore;
import dev.ncp.host.sessions.SessionTracking;
import dev.ncp.host.sessions.SessionsHandler;
import dev.ncp.host.storage.Leases;
import dev.ncp.host.storage.MemoryStorageEngine;
import dev.ncp.host.storage.StorageDegradation;
import dev.ncp.host.storage.StorageSelector;
import dev.ncp.host.storage.StorageStartup;
import dev.ncp.host.storage.TimedStorage;
import dev.ncp.host.tokens.CountTokensService;
import dev.ncp.host.tokens.TokenBudget;
import dev.ncp.host.tokens.TokenEstimator;
import dev.ncp.host.translate.HistoryThinking;
import dev.ncp.host.translate.RequestTranslator;
import dev.ncp.host.translate.ToolIdCodec;
import dev.ncp.host.upstream.UpstreamSettings;
import dev.ncp.host.usage.UsageHandler;
import dev.ncp.host.usage.UsageRecorder;
import dev.ncp.host.usage.UsageReport;
import dev.ncp.host.usage.UsageStore;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.json.JavalinJackson;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.server.LowResourceMonitor;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds ncp's whole object graph from the typed {@link Config} and the loaded plugins —
 * storage and the features on it, auth, the model registry, the Messages path, observability, the dashboard — into
 * the {@link Routes} of one Javalin app, configured but not yet listening. The one place parts are wired together;
 * {@link NcpServer} starts and stops what it builds. What it opened, {@link #close} closes, last opened first.
 */
final class ServerAssembly implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerAssembly.class);
    /** Vision-capable alias suggested when an image reaches a model without vision. */
    private static final String VISION_HINT = "claude-llama4-maverick";
    /** Pending connections the listening socket holds before the kernel drops SYNs (capped by somaxconn). */
    static final int ACCEPT_QUEUE = 1024;
    /** The default upstream's name ({@code NVIDIA_BASE_URL}): usage rows and the gauge of the upstream gate. */
    static final String UPSTREAM = dev.ncp.host.upstream.Upstream.DEFAULT_NAME;
    /** A readiness probe's TCP connect to the upstream: probes time out after 1 s by default (Kubernetes). */
    private static final Duration PROBE_CONNECT_TIMEOUT = Duration.ofMillis(800);

    private final Config config;
    private final Clock clock = Clock.systemUTC();
    private final ObjectMapper json = new ObjectMapper();
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    final PluginHost plugins;
    final Observability observe;
    final Storage storage;
    final AuthChain auth;
    final ModelRegistry registry;
    final Routes routes;
    final Javalin app;

    /** Fails with a {@code ConfigException} that says what to fix, having closed whatever it opened. */
    ServerAssembly(Config config, List<StorageEngine> builtinEngines) {
        this.config = config;
        this.plugins = closing(PluginHost.load(config.pluginDirectories()));
        try {
            var engines = new ArrayList<>(builtinEngines);
            engines.addAll(plugins.extensions(StorageEngine.class));
            StorageEngine engine = StorageSelector.select(config.storageEngine(), engines, config.pluginDirectories());
            var open = StorageStartup.open(engine, new StorageSettings(config.dataDirectory(), config.values()),
                    config.features().storageFallback());
            var tracing = closing(Tracing.fromSettings(config.values()));
            this.observe = Observability.create(config.observability(), tracing);
            this.storage = closing(new TimedStorage(open.storage(),
                    op -> observe.metrics().storageTimer(open.engine(), op)));
            this.auth = AuthChain.forConfig(config, plugins.extensions(AuthProvider.class),
                    config.security().keyPassthrough());
            if (!config.loopbackOnly()) {
                LOG.warn("PROXY_HOST={} exposes ncp beyond this machine: every request needs a credential ({}); "
                        + "use TLS in front of it and see docs/security.md", config.host(),
                        String.join(", ", auth.providerNames()));
            }
            List<ModelAdapter> adapters = plugins.extensions(ModelAdapter.class);
            this.registry = ModelRegistry.build(adapters.stream().flatMap(a -> a.models().stream()).toList(),
                    config.userModels(), config.defaultModel());
            var deployments = closing(UpstreamDeployments.build(config, upstreamSettings(), firstByte()));
            var resilience = new UpstreamResilience(config.resilience(), BreakerSettings.of(config), deployments,
                    breakerLedger(open.engine()), registry, config.fallbackModels(), new ResilienceMetrics(observe));
            var degradation = new StorageDegradation(clock);
            var leases = closing(new Leases(storage, degradation));
            var sessions = new SessionStore(storage, json, clock);
            var usageStore = new UsageStore(storage, json, config.observability().usageRetention());
            // Opened after the storage, so closed before it: its last records are written first.
            // The upstream the request's last attempt went to; "default" for a request that reached none.
            var usage = closing(new UsageRecorder(usageStore, clock,
                    summary -> summary.upstream().equals("-") ? UPSTREAM : summary.upstream()));
            var health = new HealthHandler(Version.current(), clock, open.engine(), storage, plugins,
                    auth.providerNames(), degradation, open.fallbackReason());
            health.section("breakers", resilience.breakers()::snapshot);
            var probes = new ProbeHandler(new Readiness(storage, new UpstreamReachability(config.nvidiaBaseUrl(),
                    PROBE_CONNECT_TIMEOUT)::problem, clock));

            var ids = new Ids();
            MessagesPath messages = messagesPath(adapters, resilience, ids);
            FeatureSettings f = config.features();
            var gate = new UpstreamGate(storage, leases, degradation, f.upstreamRpm(), f.maxConcurrentStreams(),
                    f.upstreamMaxWait(), clock, Thread::sleep, observe.metrics()::rateLimited,
                    new DefaultUpstreamRequests(registry, resilience.deployments()), messages.messages());
            Handler aroundMessages = aroundMessages(gate, leases, degradation, sessions);
            var dashboardTokens = new DashboardTokens(clock);
            var filters = new Routes.Filters(new RequestIds(ids),
                    new BrowserGuard(config.loopbackOnly(), config.security().corsOrigins()),
                    new RequestSizeLimit(config.maxRequestBodyBytes()), new AuthFilter(auth, dashboardTokens),
                    new RequestRateLimiter(storage, degradation, config.rateLimitRpm(), clock,
                            observe.metrics()::rateLimited),
                    new CompletedRequests(observe, usage::record));
            var usageHandler = new UsageHandler(usage, new UsageReport(usageStore), clock);
            var handlers = new Routes.Handlers(aroundMessages, messages.countTokens(), health, probes,
                    new ModelsHandler(registry), new SessionsHandler(sessions), new DashboardAssets(),
                    new DashboardTokenHandler(dashboardTokens),
                    new VisualizationSocket(observe.bus(), new DashboardStatus(json, clock,
                            observe::visualizationStatus, resilience.breakers()::snapshot,
                            () -> Map.of(UPSTREAM, gate.snapshot())),
                            new DashboardQueries(usageHandler, sessions, json, clock)), observe, usageHandler);
            var errors = new ErrorResponses(json);
            this.routes = new Routes(filters, handlers, errors);
            this.app = javalin(routes, errors);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The two Messages API endpoints, and the upstream client behind them. */
    private record MessagesPath(Handler messages, Handler countTokens) {
    }

    /**
     * Parser → planner (registry, scenario router, translator, token budget, adapters) → resilience → pump →
     * upstream client, or the pass-through when the upstream speaks the Messages API itself.
     */
    private MessagesPath messagesPath(List<ModelAdapter> adapters, UpstreamResilience resilience, Ids ids) {
        ObjectMapper upstreamJson = UpstreamJson.newMapper();
        var errors = new UpstreamErrorMapper(upstreamJson, config.nvidiaApiKey().orElse(null));
        SecuritySettings security = config.security();
        if (config.upstreamProtocol() == Config.UpstreamProtocol.ANTHROPIC) {
            var passThrough = closing(new AnthropicPassThrough(config.nvidiaBaseUrl(), config.nvidiaApiKey(),
                    config.resilience().connectTimeout(), config.requestTimeout(), errors, security.maxJsonDepth(),
                    security.maxTools(), observe));
            return new MessagesPath(passThrough::messages, passThrough::countTokens);
        }
        var toolIds = new ToolIdCodec();
        var tokens = new TokenEstimator(upstreamJson);
        var parser = new MessagesRequestParser(upstreamJson, security.maxJsonDepth(), security.maxTools());
        var signer = new ThinkingSigner(InstallSecret.loadOrCreate(config.dataDirectory()));
        var translator = new RequestTranslator(toolIds, tokens, upstreamJson,
                config.routes().image().orElse(VISION_HINT), HistoryThinking.verifiedWith(signer));
        GuardSettings guard = config.guard();
        var planner = new AnswerPlanner(registry, new ScenarioRouter(config.routes(), registry, tokens), translator,
                new TokenBudget(config.defaultMaxTokens(), config.hardMaxTokens(), registry.largestContextWindow()),
                new AdapterSelector(adapters), new LoopNote(guard.loopNote()));
        var chains = new ResponseChains(signer, config.messageDeltaEveryBlock(),
                plugins.extensions(StreamProcessor.class), new OpenModelGuard(guard, upstreamJson));
        var pump = new AnswerPump(pumpSettings(), upstreamJson, errors, toolIds, ids);
        var messages = new MessagesHandler(parser, planner, chains, pump,
                resilience.deployments().defaultUpstream(), resilience, upstreamJson, ids,
                config.textDeltaChars(), UpstreamKey.check(config), observe);
        var countTokens = new CountTokensHandler(parser, new CountTokensService(tokens));
        return new MessagesPath(messagesApiDeployments(messages::handle, resilience), countTokens::handle);
    }

    /**
     * The Messages handler, with requests for a model whose deployments speak the Messages API ({@code protocol:
     * anthropic}) passed through to them instead.
     */
    private Handler messagesApiDeployments(Handler translated, UpstreamResilience resilience) {
        SecuritySettings security = config.security();
        var passThroughs = new java.util.HashMap<String, AnthropicPassThrough>();
        for (var d : config.userModels().upstreams().values()) {
            if (d.protocol() == Config.UpstreamProtocol.ANTHROPIC) {
                passThroughs.put(d.name(), closing(new AnthropicPassThrough(d.baseUrl(), d.apiKey(),
                        d.connectTimeout().orElse(config.resilience().connectTimeout()),
                        d.firstByteTimeout().orElse(config.requestTimeout()),
                        new UpstreamErrorMapper(UpstreamJson.newMapper(), d.apiKey().orElse(null)), security.maxJsonDepth(),
                        security.maxTools(), observe)));
            }
        }
        if (passThroughs.isEmpty()) {
            return translated;
        }
        return new MessagesApiDeployments(registry, resilience.deployments(), passThroughs, resilience.breakers(),
                translated);
    }

    /**
     * {@code messages} inside the storage-backed features, outermost first: idempotency → session tracking →
     * upstream gate. Idempotency is outermost so a replay costs neither a session count nor an upstream slot; the
     * gate is innermost so a request waits for the upstream only when it will really go there.
     */
    private Handler aroundMessages(UpstreamGate gated, Leases leases, StorageDegradation degradation,
                                   SessionStore sessions) {
        FeatureSettings f = config.features();
        Handler tracked = new SessionTracking(new SessionIds(json), sessions, degradation, gated);
        // By default a duplicate waits as long as the first request can take, so it replays instead of failing.
        Duration duplicateWait = f.idempotencyMaxWait().orElseGet(() ->
                config.requestTimeout().plus(f.upstreamMaxWait()).plus(IdempotencyStore.IN_FLIGHT_TTL));
        return new IdempotentMessages(new IdempotencyStore(storage, json), leases, degradation, f.idempotencyTtl(),
                duplicateWait, clock, tracked);
    }

    private Javalin javalin(Routes routes, ErrorResponses errors) {
        SecuritySettings security = config.security();
        return Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.http.prefer405over404 = true;
            cfg.http.maxRequestSize = config.maxRequestBodyBytes();
            cfg.jsonMapper(new JavalinJackson(json, false));
            cfg.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(security.maxHeaderBytes()));
            cfg.jetty.modifyServletContextHandler(context -> context.addFilter(
                    new FilterHolder(new BodyDeadline(security.clientBodyTimeout())), "/*",
                    EnumSet.of(DispatcherType.REQUEST)));
            cfg.jetty.modifyServer(server -> {
                server.setErrorHandler(new JettyErrors(errors));
                deepAcceptQueue(server);
                GracefulStop.install(server, shutdownTimeout());
                withoutLowResourceMonitor(server);
            });
            cfg.jetty.modifyWebSocketServletFactory(ws -> {
                ws.setMaxTextMessageSize(VisualizationSocket.MAX_INCOMING_MESSAGE_BYTES);
                ws.setMaxBinaryMessageSize(VisualizationSocket.MAX_INCOMING_MESSAGE_BYTES);
            });
            routes.register(cfg.routes);
        });
    }

    /**
     * Javalin's default server carries Jetty's {@code LowResourceMonitor}, which wakes every second, idle or not (40 %
     * of an idle proxy's CPU), and when the thread pool runs low cuts every connection's idle timeout to one second:
     * that would end a streamed answer waiting a second for the model's next token. ncp guards against slow clients
     * with its own deadlines (NCP_CLIENT_IDLE_TIMEOUT_SECONDS, NCP_CLIENT_BODY_TIMEOUT_SECONDS) and serves requests on
     * virtual threads, so the monitor goes.
     */
    private static void withoutLowResourceMonitor(Server server) {
        for (LowResourceMonitor monitor : server.getBeans(LowResourceMonitor.class)) {
            server.removeBean(monitor);
        }
    }

    /**
     * Jetty's default accept queue is the JDK's 50: a burst of more new connections (an agent fanning out subagents,
     * a load balancer's pool warming up) overflows it and the dropped SYNs are retried after a second, which a load
     * run sees as a 1 s p99 at 64 concurrent clients. The connectors exist once the server starts, before they bind.
     */
    private static void deepAcceptQueue(Server server) {
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                for (var connector : server.getConnectors()) {
                    if (connector instanceof ServerConnector sc) {
                        sc.setAcceptQueueSize(ACCEPT_QUEUE);
                    }
                }
            }
        });
    }

    private PumpSettings pumpSettings() {
        var r = config.resilience();
        return new PumpSettings(config.pingInterval(), r.idleTimeout(), config.requestTimeout(),
                PumpSettings.defaults().maxEventBytes(), firstByte(), PumpSettings.KEEP_ALIVE);
    }

    private UpstreamSettings upstreamSettings() {
        var d = UpstreamSettings.of(config.nvidiaBaseUrl(), config.nvidiaApiKey().orElse(null));
        return new UpstreamSettings(d.baseUrl(), d.apiKey(), config.resilience().connectTimeout(), firstByte(),
                d.http2(), d.maxErrorBodyBytes());
    }

    /** {@code NCP_SHUTDOWN_TIMEOUT_SECONDS} (validated when the configuration loaded): how long a stop waits. */
    private Duration shutdownTimeout() {
        Setting timeout = Setting.NCP_SHUTDOWN_TIMEOUT_SECONDS;
        return Duration.ofSeconds(Long.parseLong(config.values().getOrDefault(timeout.name(), timeout.defaultValue())
                .strip()));
    }

    /** The first byte cannot be later than the whole answer's deadline. */
    private Duration firstByte() {
        Duration firstByte = config.resilience().firstByteTimeout();
        return config.requestTimeout().compareTo(firstByte) < 0 ? config.requestTimeout() : firstByte;
    }

    /**
     * Where the circuit breakers keep their state: the shared store when it is Redis, so every instance sees one
     * instance's failures and half-open probes are taken one at a time across them; otherwise an in-process memory
     * store (writing breaker counts to SQLite on every call would cost a disk write per answer and share nothing).
     */
    private dev.ncp.api.storage.Storage breakerLedger(String engine) {
        if ("redis".equals(engine)) {
            return storage;
        }
        return closing(new MemoryStorageEngine().open(new StorageSettings(config.dataDirectory(), config.values())));
    }

    private <T extends AutoCloseable> T closing(T resource) {
        opened.push(resource);
        return resource;
    }

    /** Closes everything it opened, the last opened first; the first failure is rethrown after all were tried. */
    @Override
    public void close() {
        RuntimeException failure = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing ncp's parts failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
