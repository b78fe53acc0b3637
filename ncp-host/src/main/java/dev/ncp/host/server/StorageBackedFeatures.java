package dev.ncp.host.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.storage.Storage;
import dev.ncp.host.config.Config;
import dev.ncp.host.config.FeatureSettings;
import dev.ncp.host.idempotency.IdempotencyStore;
import dev.ncp.host.idempotency.IdempotentMessages;
import dev.ncp.host.limits.RateLimitRejections;
import dev.ncp.host.limits.RequestRateLimiter;
import dev.ncp.host.limits.UpstreamGate;
import dev.ncp.host.sessions.SessionIds;
import dev.ncp.host.sessions.SessionStore;
import dev.ncp.host.sessions.SessionTracking;
import dev.ncp.host.sessions.SessionsHandler;
import dev.ncp.host.storage.Leases;
import dev.ncp.host.storage.StorageDegradation;
import io.javalin.http.Handler;
import java.time.Clock;
import java.time.Duration;

/**
 * The features ncp builds on the storage primitives, wired once: client rate limits (a before-handler), and around
 * the Messages handler, outermost first, idempotency → session tracking → upstream gate → the handler. Idempotency
 * is outermost so a replay costs neither a session count nor an upstream slot; the gate is innermost so a request
 * waits for the upstream only when it will really go there.
 */
public final class StorageBackedFeatures implements AutoCloseable {

    private final Config config;
    private final Storage storage;
    private final ObjectMapper json;
    private final Clock clock;
    private final StorageDegradation degradation;
    private final Leases leases;
    private final SessionStore sessions;
    private final RateLimitRejections rejections;

    /** @param rejections hears every request a rate limit or the upstream gate refused (the metrics) */
    public StorageBackedFeatures(Config config, Storage storage, ObjectMapper json, Clock clock,
                                 RateLimitRejections rejections) {
        this.config = config;
        this.rejections = rejections;
        this.storage = storage;
        this.json = json;
        this.clock = clock;
        this.degradation = new StorageDegradation(clock);
        this.leases = new Leases(storage, degradation);
        this.sessions = new SessionStore(storage, json, clock);
    }

    public StorageDegradation degradation() {
        return degradation;
    }

    public RequestRateLimiter rateLimits() {
        return new RequestRateLimiter(storage, degradation, config.rateLimitRpm(), clock, rejections);
    }

    public SessionsHandler sessions() {
        return new SessionsHandler(sessions);
    }

    /** {@code messages} inside idempotency, session tracking and the upstream gate. */
    public Handler aroundMessages(Handler messages) {
        FeatureSettings f = config.features();
        Handler gated = new UpstreamGate(storage, leases, degradation, f.upstreamRpm(), f.maxConcurrentStreams(),
                f.upstreamMaxWait(), clock, Thread::sleep, rejections, messages);
        Handler tracked = new SessionTracking(new SessionIds(json), sessions, degradation, gated);
        // By default a duplicate waits as long as the first request can take, so it replays instead of failing.
        Duration duplicateWait = f.idempotencyMaxWait().orElseGet(() ->
                config.requestTimeout().plus(f.upstreamMaxWait()).plus(IdempotencyStore.IN_FLIGHT_TTL));
        return new IdempotentMessages(new IdempotencyStore(storage, json), leases, degradation, f.idempotencyTtl(),
                duplicateWait, clock, tracked);
    }

    @Override
    public void close() {
        leases.close();
    }
}
