package dev.ncp.host.health;

import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageHealth;
import dev.ncp.host.exchange.Exchange;
import dev.ncp.host.plugin.LoadedPlugin;
import dev.ncp.host.plugin.PluginHost;
import dev.ncp.host.storage.StorageDegradation;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /health}: status, version, uptime, storage health, plugins and their extensions, and the sections other
 * parts add (the upstream circuit breakers). Only operators get more than status, version and uptime.
 */
public final class HealthHandler {

    private final String version;
    private final Clock clock;
    private final Instant startedAt;
    private final String storageEngine;
    private final Storage storage;
    private final PluginHost plugins;
    private final List<String> authProviders;
    private final StorageDegradation degradation;
    private final Optional<String> storageFallback;
    private final Map<String, Supplier<?>> sections = new LinkedHashMap<>();

    /**
     * @param degradation     storage operations skipped since start (shown as {@code degraded_operations})
     * @param storageFallback why the memory engine stands in for the configured one, if it does
     */
    public HealthHandler(String version, Clock clock, String storageEngine, Storage storage, PluginHost plugins,
                         List<String> authProviders, StorageDegradation degradation,
                         Optional<String> storageFallback) {
        this.version = version;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.storageEngine = storageEngine;
        this.storage = storage;
        this.plugins = plugins;
        this.authProviders = List.copyOf(authProviders);
        this.degradation = degradation;
        this.storageFallback = storageFallback;
    }

    /**
     * Adds a section to every answer, e.g. {@code breakers}: {@code supplier} is asked for it on each request.
     * Called while wiring, before the server starts.
     */
    public HealthHandler section(String name, Supplier<?> supplier) {
        sections.put(name, supplier);
        return this;
    }

    public void handle(Context ctx) {
        StorageHealth health = storage.health();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", health.healthy() ? "ok" : "degraded");
        body.put("version", version);
        body.put("uptime_seconds", Duration.between(startedAt, clock.instant()).toSeconds());
        if (!Exchange.of(ctx).principal().operator()) { // the details describe the whole service: operators only
            ctx.status(health.healthy() ? 200 : 503).json(body);
            return;
        }
        Map<String, Object> storageBody = new LinkedHashMap<>();
        storageBody.put("engine", storageEngine);
        storageBody.put("healthy", health.healthy());
        storageBody.put("detail", health.detail());
        storageBody.put("degraded_operations", degradation.count());
        storageFallback.ifPresent(reason -> storageBody.put("fallback", reason));
        body.put("storage", storageBody);
        body.put("plugins", plugins.plugins().stream().map(HealthHandler::describe).toList());
        body.put("plugin_failures", plugins.failures().stream()
                .map(f -> Map.of("file", f.file().getFileName().toString(), "reason", f.reason())).toList());
        body.put("auth", authProviders);
        sections.forEach((name, supplier) -> body.put(name, supplier.get()));
        ctx.status(health.healthy() ? 200 : 503).json(body);
    }

    private static Map<String, Object> describe(LoadedPlugin p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("version", p.version());
        m.put("file", p.file().getFileName().toString());
        m.put("extensions", p.extensions());
        return m;
    }
}
