package dev.ncp.host.stream;

import dev.ncp.host.upstream.UpstreamResponse;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Watches one answer from a virtual thread: sends pings when the client heard nothing for the ping interval, and
 * aborts the upstream when it is silent too long, the whole answer takes too long, or the client is gone (a ping
 * failed). Aborting closes the upstream response, which wakes the pump's blocked read; while the pump is still
 * waiting for the upstream's headers, it interrupts the pump's thread instead, which cancels that exchange.
 */
final class Watchdog implements Runnable {

    enum Abort { NONE, UPSTREAM_IDLE, TOO_LONG, CLIENT_GONE }

    private final PumpSettings settings;
    private final GuardedSink sink;
    private final Thread pumpThread;
    private final long startNanos = System.nanoTime();
    private final ReentrantLock phaseLock = new ReentrantLock();
    private volatile long lastUpstreamNanos = System.nanoTime();
    private volatile UpstreamResponse response;
    private volatile boolean opening;
    private volatile boolean stopped;
    private volatile Abort abort = Abort.NONE;
    private Thread thread;

    Watchdog(PumpSettings settings, GuardedSink sink, Thread pumpThread) {
        this.settings = settings;
        this.sink = sink;
        this.pumpThread = pumpThread;
    }

    void start() {
        if (tickNanos() > 0) {
            thread = Thread.ofVirtual().name("ncp-answer-watchdog").start(this);
        }
    }

    /** The pump is about to wait for the upstream's response headers. */
    void opening() {
        opening = true;
    }

    /** The upstream answered; from now on its silences are timed. */
    void streaming(UpstreamResponse upstream) {
        phaseLock.lock();
        try {
            opening = false;
            response = upstream;
            lastUpstreamNanos = System.nanoTime();
        } finally {
            phaseLock.unlock();
        }
        if (abort != Abort.NONE) {
            upstream.close(); // aborted while the headers were on their way
        }
    }

    /** The upstream sent bytes. */
    void upstreamActive() {
        lastUpstreamNanos = System.nanoTime();
    }

    /** Why the watchdog aborted the answer, if it did. */
    Abort abort() {
        return abort;
    }

    /** Stops watching; after this returns the watchdog never interrupts the pump's thread. */
    void stop() {
        phaseLock.lock();
        try {
            stopped = true;
            opening = false;
        } finally {
            phaseLock.unlock();
        }
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void run() {
        long tick = tickNanos();
        while (!stopped && abort == Abort.NONE) {
            LockSupport.parkNanos(tick);
            if (stopped) {
                return;
            }
            long now = System.nanoTime();
            if (!settings.pingInterval().isZero() && !sink.pingIfIdle(settings.pingInterval().toNanos())) {
                abort(Abort.CLIENT_GONE);
            } else if (response != null && expired(settings.idleTimeout(), now - lastUpstreamNanos)) {
                abort(Abort.UPSTREAM_IDLE);
            } else if (expired(settings.totalTimeout(), now - startNanos)) {
                abort(Abort.TOO_LONG);
            }
        }
    }

    private void abort(Abort reason) {
        abort = reason;
        phaseLock.lock();
        try {
            if (stopped) {
                return;
            }
            if (opening) {
                pumpThread.interrupt();
            }
            UpstreamResponse upstream = response;
            if (upstream != null) {
                upstream.close();
            }
        } finally {
            phaseLock.unlock();
        }
    }

    private static boolean expired(Duration limit, long elapsedNanos) {
        return !limit.isZero() && elapsedNanos >= limit.toNanos();
    }

    /** How often to look: a fifth of the shortest interval watched, between 5 ms and 1 s; 0 when nothing is. */
    private long tickNanos() {
        long shortest = Long.MAX_VALUE;
        for (Duration d : new Duration[] {settings.pingInterval(), settings.idleTimeout(), settings.totalTimeout()}) {
            if (!d.isZero()) {
                shortest = Math.min(shortest, d.toNanos());
            }
        }
        if (shortest == Long.MAX_VALUE) {
            return 0;
        }
        return Math.clamp(shortest / 5, Duration.ofMillis(5).toNanos(), Duration.ofSeconds(1).toNanos());
    }
}
