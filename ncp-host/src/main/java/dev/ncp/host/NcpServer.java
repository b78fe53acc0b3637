package dev.ncp.host;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.auth.AuthProvider;
import dev.ncp.api.model.ModelAdapter;
import dev.ncp.api.stream.StreamProcessor;
import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageEngine;
import dev.ncp.api.storage.StorageSettings;
import dev.ncp.host.auth.AuthChain;
import dev.ncp.host.config.Config;
import dev.ncp.host.dashboard.DashboardAssets;
import dev.ncp.host.dashboard.DashboardStatus;
import dev.ncp.host.dashboard.VisualizationSocket;
import dev.ncp.host.dashboard.DashboardTokens;
import dev.ncp.host.http.AuthFilter;
import dev.ncp.host.http.BodyDeadline;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import dev.ncp.host.http.BrowserGuard;
import dev.ncp.host.http.GracefulStop;
import dev.ncp.host.http.JettyErrors;
import dev.ncp.host.http.ListenPort;
import dev.ncp.host.security.SecuritySettings;
import org.eclipse.jetty.server.AbstractConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.ncp.host.http.ErrorResponses;
import dev.ncp.host.http.HealthHandler;
import dev.ncp.host.http.ModelsHandler;
import dev.ncp.host.messages.MessagesEndpoints;
import dev.ncp.host.model.ModelRegistry;
import dev.ncp.host.observe.Observability;
import dev.ncp.host.observe.ObservabilitySettings;
import dev.ncp.host.observe.ResilienceMetrics;
import dev.ncp.host.http.RequestIds;
import dev.ncp.host.http.RequestSizeLimit;
import dev.ncp.host.http.Routes;
import dev.ncp.host.plugin.PluginHost;
import dev.ncp.host.resilience.UpstreamResilience;
import dev.ncp.host.storage.StorageSelector;
import dev.ncp.host.storage.StorageStartup;
import dev.ncp.host.storage.TimedStorage;
import dev.ncp.host.translate.Ids;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.javalin.util.JavalinBindException;
import java.time.Clock;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import java.util.ArrayList;
import java.util.List;

/**
 * One running ncp: plugins loaded, storage open, HTTP server listening. Built by {@link #start}; everything it
 * holds is released by {@link #close}.
 */
public final class NcpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NcpServer.class);

    private final Config config;
    private final PluginHost plugins;
    private final Storage storage;
    private final AuthChain auth;
    private final ModelRegistry registry;
    private final MessagesEndpoints endpoints;
    private final StorageBackedFeatures features;
    private final Observability observability;
    private final Routes routes;
    private final Javalin app;

    private NcpServer(Config config, PluginHost plugins, Storage storage, AuthChain auth, ModelRegistry registry,
                      MessagesEndpoints endpoints, StorageBackedFeatures features, Observability observability,
                      Routes routes, Javalin app) {
        this.config = config;
        this.plugins = plugins;
        this.storage = storage;
        this.auth = auth;
        this.registry = registry;
        this.endpoints = endpoints;
        this.features = features;
        this.observability = observability;
        this.routes = routes;
        this.app = app;
    }

    /**
     * Loads plugins, opens the configured storage and starts listening. Fails with a {@code ConfigException} whose
     * message says what to fix when the configuration cannot work (e.g. the storage plugin is missing, the port taken).
     *
     * @param builtinEngines storage engines built into the host (the memory engine)
     */
    /** Pending connections the listening socket holds before the kernel drops SYNs (capped by somaxconn). */
    static final int ACCEPT_QUEUE = 1024;

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

    public static NcpServer start(Config config, List<StorageEngine> builtinEngines) {
        ListenPort.requireBindable(config.host(), config.port());
        PluginHost plugins = PluginHost.load(config.pluginDirectories());
        Storage storage = null;
        MessagesEndpoints endpoints = null;
        StorageBackedFeatures features = null;
        try {
            List<StorageEngine> engines = new ArrayList<>(builtinEngines);
            engines.addAll(plugins.extensions(StorageEngine.class));
            StorageEngine engine = StorageSelector.select(config.storageEngine(), engines, config.pluginDirectories());
            var opened = StorageStartup.open(engine, new StorageSettings(config.dataDirectory(), config.values()),
                    config.features().storageFallback());
            var observe = Observability.create(ObservabilitySettings.from(config));
            storage = new TimedStorage(opened.storage(), op -> observe.metrics().storageTimer(opened.engine(), op));
            var security = SecuritySettings.from(config);
            AuthChain auth = AuthChain.forConfig(config, plugins.extensions(AuthProvider.class),
                    security.keyPassthrough());
            if (!config.loopbackOnly()) {
                LOG.warn("PROXY_HOST={} exposes ncp beyond this machine: every request needs a credential ({}); "
                        + "use TLS in front of it and see docs/security.md", config.host(),
                        String.join(", ", auth.providerNames()));
            }

            ObjectMapper json = new ObjectMapper();
            var errors = new ErrorResponses(json);
            features = new StorageBackedFeatures(config, storage, json, Clock.systemUTC(),
                    observe.metrics()::rateLimited);
            var health = new HealthHandler(Version.current(), Clock.systemUTC(), opened.engine(), storage, plugins,
                    auth.providerNames(), features.degradation(), opened.fallbackReason());
            List<ModelAdapter> adapters = plugins.extensions(ModelAdapter.class);
            var registry = ModelRegistry.build(adapters.stream().flatMap(a -> a.models().stream()).toList(),
                    config.userModels(), config.defaultModel());
            var ids = new Ids();
            var resilience = new UpstreamResilience(config.resilience(), registry, config.fallbackModels(),
                    new ResilienceMetrics(observe));
            health.section("breakers", resilience.breakers()::snapshot);
            endpoints = MessagesEndpoints.create(config, registry, adapters,
                    plugins.extensions(StreamProcessor.class), ids, resilience, observe);
            var filters = new Routes.Filters(new RequestIds(ids), observe,
                    new BrowserGuard(config.loopbackOnly(), security.corsOrigins()),
                    new RequestSizeLimit(config.maxRequestBodyBytes()),
                    new AuthFilter(auth, new DashboardTokens(Clock.systemUTC())), features.rateLimits());
            var handlers = new Routes.Handlers(features.aroundMessages(endpoints.messages()), endpoints.countTokens(),
                    health, new ModelsHandler(registry), features.sessions(), new DashboardAssets(),
                    new VisualizationSocket(observe.bus(), new DashboardStatus(json, Clock.systemUTC(),
                            observe::visualizationStatus, resilience.breakers()::snapshot)));
            var routes = new Routes(filters, handlers, errors);
            Javalin app = Javalin.create(cfg -> {
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
                    GracefulStop.install(server, shutdownTimeout(config));
                });
                cfg.jetty.modifyWebSocketServletFactory(ws -> {
                    ws.setMaxTextMessageSize(VisualizationSocket.MAX_INCOMING_MESSAGE_BYTES);
                    ws.setMaxBinaryMessageSize(VisualizationSocket.MAX_INCOMING_MESSAGE_BYTES);
                });
                routes.register(cfg.routes);
            });
            try {
                app.start(config.host(), config.port());
            } catch (JavalinBindException e) {
                // Taken between the check above and now.
                throw ListenPort.cannotListen(config.host(), config.port(), "Address already in use");
            }
            // Slow or stalled clients (slowloris) are cut off after this much silence; applies to new connections.
            for (var connector : app.jettyServer().server().getConnectors()) {
                if (connector instanceof AbstractConnector c) {
                    c.setIdleTimeout(security.clientIdleTimeout().toMillis());
                }
            }
            return new NcpServer(config.withPort(app.port()), plugins, storage, auth, registry, endpoints, features,
                    observe, routes, app);
        } catch (RuntimeException e) {
            if (endpoints != null) {
                endpoints.close();
            }
            if (features != null) {
                features.close();
            }
            if (storage != null) {
                storage.close();
            }
            plugins.close();
            throw e;
        }
    }

    /** {@code NCP_SHUTDOWN_TIMEOUT_SECONDS}: how long a stop waits for answers in flight. */
    private static java.time.Duration shutdownTimeout(Config config) {
        return java.time.Duration.ofSeconds(Long.parseLong(config.values().getOrDefault(
                dev.ncp.host.config.Setting.NCP_SHUTDOWN_TIMEOUT_SECONDS.name(),
                dev.ncp.host.config.Setting.NCP_SHUTDOWN_TIMEOUT_SECONDS.defaultValue()).strip()));
    }

    /** The configuration with the port actually bound (differs from the configured one for port 0). */
    public Config config() {
        return config;
    }

    public PluginHost plugins() {
        return plugins;
    }

    public ModelRegistry registry() {
        return registry;
    }

    /** The visualization bus, metrics and access log (the resilience and storage features report to it). */
    public Observability observability() {
        return observability;
    }

    /** Every HTTP endpoint it serves (the websocket, {@link Routes#WEBSOCKET}, besides). */
    public List<Routes.Endpoint> endpoints() {
        return routes.endpoints();
    }

    public List<String> authProviders() {
        return auth.providerNames();
    }

    @Override
    public void close() {
        app.stop();
        endpoints.close();
        features.close();
        storage.close();
        plugins.close();
    }
}
