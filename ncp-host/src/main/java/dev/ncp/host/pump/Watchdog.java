package dev.ncp.host.pump;

import dev.ncp.host.upstream.UpstreamResponse;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Watches one answer from a virtual thread: sends pings when the client heard nothing for the ping interval and
 * keep-alive comments every quarter second (so a client that hung up is noticed within a second), and aborts the upstream
 * when its body's first byte is late, when it is silent too long, when the whole answer takes too long, or when the
 * client is gone (a write failed). Aborting closes the upstream response, which wakes the pump's blocked read; while
 * the pump is still waiting for the upstream's headers (or for a retry's backoff), it interrupts the pump's thread
 * instead, which cancels that exchange.
 *
 * <p>One watchdog serves every attempt of an answer: {@link #opening()} re-arms it for the next attempt, clearing
 * an upstream-silence abort (the attempt that went silent is being replaced); the other aborts are final.
 */
final class Watchdog implements Runnable {

    enum Abort { NONE, UPSTREAM_IDLE, TOO_LONG, CLIENT_GONE }

    /**
     * How long the upstream may stay silent once it has sent its finish_reason (only usage and [DONE] are still
     * due) before the answer is completed without them.
     */
    static final Duration AFTER_FINISH_GRACE = Duration.ofSeconds(10);

    private final PumpSettings settings;
    private final GuardedSink sink;
    private final Thread pumpThread;
    private final long startNanos = System.nanoTime();
    private final ReentrantLock phaseLock = new ReentrantLock();
    private volatile long lastUpstreamNanos = System.nanoTime();
    private volatile UpstreamResponse response;
    private volatile boolean opening;
    private volatile boolean stopped;
    private volatile boolean bodyStarted;
    private volatile boolean finishReasonSeen;
    private volatile boolean interruptedPump;
    private volatile Abort abort = Abort.NONE;
    private Thread thread;

    Watchdog(PumpSettings settings, GuardedSink sink, Thread pumpThread) {
        this.settings = settings;
        this.sink = sink;
        this.pumpThread = pumpThread;
    }

    void start() {
        thread = Thread.ofVirtual().name("ncp-answer-watchdog").start(this);
    }

    /**
     * The pump is about to wait for an upstream's response headers, or for the backoff before one. Re-arms the
     * watchdog after an attempt that went silent.
     */
    void opening() {
        phaseLock.lock();
        try {
            opening = true;
            response = null;
            bodyStarted = false;
            finishReasonSeen = false;
            if (abort == Abort.UPSTREAM_IDLE) {
                abort = Abort.NONE;
            }
        } finally {
            phaseLock.unlock();
        }
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
        bodyStarted = true;
    }

    /** Whether the current attempt's body has sent a byte. */
    boolean bodyStarted() {
        return bodyStarted;
    }

    /** The upstream sent its finish_reason; from now on a short silence is enough to end the answer. */
    void finishReasonSeen() {
        finishReasonSeen = true;
    }

    /** Whether the watchdog interrupted the pump's thread (whose interrupt status the pump must then clear). */
    boolean interruptedPump() {
        return interruptedPump;
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
        long ping = settings.pingInterval().toNanos();
        long keepAlive = settings.keepAliveInterval().toNanos();
        while (!stopped && abort != Abort.CLIENT_GONE && abort != Abort.TOO_LONG) {
            LockSupport.parkNanos(tick);
            if (stopped) {
                return;
            }
            long now = System.nanoTime();
            if (!sink.heartbeat(ping, keepAlive)) {
                abort(Abort.CLIENT_GONE);
            } else if (abort != Abort.NONE) {
                continue; // an upstream-silence abort waits for the pump to re-arm or stop us
            } else if (response != null && expired(silenceLimit(), now - lastUpstreamNanos)) {
                abort(Abort.UPSTREAM_IDLE);
            } else if (expired(settings.totalTimeout(), now - startNanos)) {
                abort(Abort.TOO_LONG);
            }
        }
    }

    private void abort(Abort reason) {
        phaseLock.lock();
        try {
            abort = reason;
            if (stopped) {
                return;
            }
            if (opening) {
                interruptedPump = true;
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

    private Duration silenceLimit() {
        if (!bodyStarted) {
            return settings.firstByteTimeout();
        }
        Duration idle = settings.idleTimeout();
        if (!finishReasonSeen) {
            return idle;
        }
        return idle.isZero() || idle.compareTo(AFTER_FINISH_GRACE) > 0 ? AFTER_FINISH_GRACE : idle;
    }

    private static boolean expired(Duration limit, long elapsedNanos) {
        return !limit.isZero() && elapsedNanos >= limit.toNanos();
    }

    /** How often to look: a fifth of the shortest interval watched, between 5 ms and 1 s. */
    private long tickNanos() {
        long shortest = AFTER_FINISH_GRACE.toNanos();
        for (Duration d : new Duration[] {settings.pingInterval(), settings.idleTimeout(), settings.totalTimeout(),
                settings.firstByteTimeout(), settings.keepAliveInterval()}) {
            if (!d.isZero()) {
                shortest = Math.min(shortest, d.toNanos());
            }
        }
        return Math.clamp(shortest / 5, Duration.ofMillis(5).toNanos(), Duration.ofSeconds(1).toNanos());
    }
}
