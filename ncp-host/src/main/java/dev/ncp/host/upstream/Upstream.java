package dev.ncp.host.upstream;

import dev.ncp.api.openai.ChatRequest;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One upstream ncp sends answers to: the default ({@code NVIDIA_BASE_URL}) or a named one of the {@code upstreams:}
 * section. It knows its answers in flight (the balancer's "outstanding requests") and keeps this instance within
 * its own limits: at most {@code maxConcurrent} answers at once and {@code rpm} requests a minute (0: no cap).
 *
 * <p>Its key is its own: a named upstream always sends the key of its {@code api_key_env}; only the default
 * upstream sends a client's own key ({@code NCP_KEY_PASSTHROUGH}), since that key was issued for NVIDIA's API and
 * must not reach a self-hosted server.
 */
public final class Upstream {

    /** The name of the upstream of {@code NVIDIA_BASE_URL}, in logs, metrics and breaker names. */
    public static final String DEFAULT_NAME = "default";
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final String name;
    private final URI baseUrl;
    private final boolean messagesApi;
    private final int weight;
    private final int maxConcurrent;
    private final int rpm;
    private final UpstreamClient client;
    private final LongSupplier nanoClock;
    private final AtomicInteger outstanding = new AtomicInteger();
    /** Smooth weighted round robin credit; read and written by the {@link Balancer} under its lock only. */
    double credit;
    private final AtomicLong minuteStart;
    private final AtomicInteger minuteCalls = new AtomicInteger();

    /**
     * @param messagesApi whether it speaks the Messages API (answers pass through untranslated; {@code client} may
     *                    be null then)
     * @param nanoClock   {@link System#nanoTime} but for tests
     */
    public Upstream(String name, URI baseUrl, boolean messagesApi, int weight, int maxConcurrent, int rpm,
                    UpstreamClient client, LongSupplier nanoClock) {
        this.name = Objects.requireNonNull(name, "name");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.messagesApi = messagesApi;
        this.weight = Math.max(1, weight);
        this.maxConcurrent = maxConcurrent;
        this.rpm = rpm;
        this.client = client;
        this.nanoClock = nanoClock;
        this.minuteStart = new AtomicLong(nanoClock.getAsLong());
    }

    public String name() {
        return name;
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public boolean isDefault() {
        return DEFAULT_NAME.equals(name);
    }

    /** Whether it speaks the Messages API itself ({@code protocol: anthropic}). */
    public boolean messagesApi() {
        return messagesApi;
    }

    public int weight() {
        return weight;
    }

    /** Answers in flight to it from this instance. */
    public int outstanding() {
        return outstanding.get();
    }

    /** Whether one more answer fits its concurrency and per-minute limits now. */
    public boolean hasRoom() {
        if (maxConcurrent > 0 && outstanding.get() >= maxConcurrent) {
            return false;
        }
        if (rpm <= 0) {
            return true;
        }
        rollMinute();
        return minuteCalls.get() < rpm;
    }

    /**
     * Sends {@code chat} and waits for the response headers, as {@link UpstreamClient#open(ChatRequest, String,
     * String, java.util.Map)}; the answer counts as outstanding until its response is closed or released.
     *
     * @param clientKey    the client's own upstream key, or null; sent to the default upstream only
     * @param traceHeaders W3C trace context for the upstream ({@code traceparent}, {@code tracestate}); may be empty
     */
    public UpstreamResponse open(ChatRequest chat, String requestId, String clientKey,
                                 java.util.Map<String, String> traceHeaders) {
        return send(chat, requestId, clientKey, traceHeaders).awaitHead();
    }

    /**
     * As {@link #open}, returning once the request is sent ({@link UpstreamClient#send}); the answer counts as
     * outstanding from here until its response is closed or released, or the request abandoned or refused.
     */
    public PendingResponse send(ChatRequest chat, String requestId, String clientKey,
                                java.util.Map<String, String> traceHeaders) {
        if (client == null) {
            throw new IllegalStateException("upstream " + name + " speaks the Messages API; its answers pass through");
        }
        Runnable finished = begin();
        PendingResponse pending;
        try {
            pending = client.send(chat, requestId, isDefault() ? clientKey : null, traceHeaders);
        } catch (RuntimeException | Error e) {
            finished.run();
            throw e;
        }
        return pending.observed(failure -> finished.run(), body -> body, finished);
    }

    /**
     * One call to it begins: it counts as outstanding (and against its rpm) until the returned action runs; running
     * that more than once is harmless. {@link #open} does it for chat calls; the pass-through, which sends Messages
     * API requests itself, calls it around each of its own.
     */
    public Runnable begin() {
        outstanding.incrementAndGet();
        if (rpm > 0) {
            rollMinute();
            minuteCalls.incrementAndGet();
        }
        var done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                outstanding.decrementAndGet();
            }
        };
    }

    /**
     * Seconds until it has room again when it has none: 1 while it is at its concurrency cap (answers end at any
     * moment), else what is left of its minute when its rpm is used up; 0 when it has room.
     */
    public long secondsUntilRoom() {
        if (maxConcurrent > 0 && outstanding.get() >= maxConcurrent) {
            return 1;
        }
        if (rpm <= 0 || hasRoom()) {
            return 0;
        }
        long left = MINUTE_NANOS - (nanoClock.getAsLong() - minuteStart.get());
        return Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
    }

    private void rollMinute() {
        long now = nanoClock.getAsLong();
        long start = minuteStart.get();
        if (now - start >= MINUTE_NANOS && minuteStart.compareAndSet(start, now)) {
            minuteCalls.set(0);
        }
    }

    /** The client it sends through; null for a Messages API upstream. */
    public UpstreamClient client() {
        return client;
    }

    @Override
    public String toString() {
        return name;
    }
}
