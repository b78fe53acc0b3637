package dev.ncp.host.server;

import dev.ncp.api.storage.StorageEngine;
import dev.ncp.host.config.Config;
import dev.ncp.host.http.ListenPort;
import dev.ncp.host.http.Routes;
import dev.ncp.host.model.ModelRegistry;
import dev.ncp.host.observe.Observability;
import dev.ncp.host.plugin.PluginHost;
import io.javalin.util.JavalinBindException;
import java.util.List;
import org.eclipse.jetty.server.AbstractConnector;

/**
 * One running ncp: what {@link ServerAssembly} built from the configuration, listening. Started by {@link #start};
 * everything it holds is released by {@link #close}.
 */
public final class NcpServer implements AutoCloseable {

    private final Config config;
    private final ServerAssembly parts;

    private NcpServer(Config config, ServerAssembly parts) {
        this.config = config;
        this.parts = parts;
    }

    /**
     * Loads plugins, opens the configured storage, wires everything and starts listening. Fails with a
     * {@code ConfigException} whose message says what to fix when the configuration cannot work (e.g. the storage
     * plugin is missing, the port taken).
     *
     * @param builtinEngines storage engines built into the host (the memory engine)
     */
    public static NcpServer start(Config config, List<StorageEngine> builtinEngines) {
        ListenPort.requireBindable(config.host(), config.port());
        var parts = new ServerAssembly(config, builtinEngines);
        try {
            parts.app.start(config.host(), config.port());
        } catch (JavalinBindException e) {
            parts.close();
            // Taken between the check above and now.
            throw ListenPort.cannotListen(config.host(), config.port(), "Address already in use");
        } catch (RuntimeException e) {
            parts.close();
            throw e;
        }
        // Slow or stalled clients (slowloris) are cut off after this much silence; applies to new connections.
        for (var connector : parts.app.jettyServer().server().getConnectors()) {
            if (connector instanceof AbstractConnector c) {
                c.setIdleTimeout(config.security().clientIdleTimeout().toMillis());
            }
        }
        return new NcpServer(config.withPort(parts.app.port()), parts);
    }

    /** The configuration with the port actually bound (differs from the configured one for port 0). */
    public Config config() {
        return config;
    }

    public PluginHost plugins() {
        return parts.plugins;
    }

    public ModelRegistry registry() {
        return parts.registry;
    }

    /** The visualization bus, metrics and access log (the resilience and storage features report to it). */
    public Observability observability() {
        return parts.observe;
    }

    /** Every HTTP endpoint it serves (the websocket, {@link Routes#WEBSOCKET}, besides). */
    public List<Routes.Endpoint> endpoints() {
        return parts.routes.endpoints();
    }

    public List<String> authProviders() {
        return parts.auth.providerNames();
    }

    @Override
    public void close() {
        parts.app.stop();
        parts.close();
    }
}
