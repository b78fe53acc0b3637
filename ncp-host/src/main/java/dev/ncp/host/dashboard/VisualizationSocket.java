package dev.ncp.host.dashboard;

import dev.ncp.api.auth.Principal;
import dev.ncp.host.exchange.Exchange;
import dev.ncp.host.observe.BusMessage;
import dev.ncp.host.observe.BusSubscription;
import dev.ncp.host.observe.VisualizationBus;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket {@code /ws/stream-visualization}: the visualization bus, one JSON text message per event, and every
 * {@link #STATUS_EVERY_NANOS} (and at once on connect) a {@link DashboardStatus} message of type {@code status}. Each
 * connection has its own bus subscription and a virtual thread that sends from it, waiting for each send to be
 * flushed — so a client that reads slowly (or not at all) fills its own bounded buffer, whose overflow the bus drops
 * and counts, and never slows a request. Jetty's own queue is never used as a buffer: it has no bound.
 *
 * <p>An operator's connection gets every event and the full status; anyone else's only the events of their own
 * requests (and a status without the counters and breakers, which sum up everyone's traffic).
 */
public final class VisualizationSocket {

    /** A client that has not taken one message in this long is given up on. */
    private static final long SEND_TIMEOUT_SECONDS = 60;
    private static final long POLL_MILLIS = 200;
    /** A client asking faster than its answers go out is not queued for without bound. */
    private static final int MAX_PENDING_ANSWERS = 8;
    /** How often the bus counters and breaker states are pushed: often enough to look live, cheap enough. */
    static final long STATUS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Dashboards are few; a flood of connections is turned away (close 1013, try again later) beyond this. */
    static final int MAX_CONNECTIONS = 64;
    /** What a client sends (a usage or sessions query, {@link DashboardQueries}) is read up to this size. */
    public static final long MAX_INCOMING_MESSAGE_BYTES = 4096;
    private static final Logger log = LoggerFactory.getLogger(VisualizationSocket.class);

    private final VisualizationBus bus;
    private final DashboardStatus status;
    private final DashboardQueries queries;
    private final Map<String, BusSubscription> connections = new ConcurrentHashMap<>();
    /** Connections accepted and not yet gone: what {@link #MAX_CONNECTIONS} bounds. */
    private final AtomicInteger open = new AtomicInteger();
    /** Answers to a connection's queries, sent by its one sending thread (a socket takes one send at a time). */
    private final Map<String, Queue<String>> answers = new ConcurrentHashMap<>();
    private final AtomicBoolean refusalLogged = new AtomicBoolean();

    /** @param status the {@code status} message's JSON, made anew for each push */
    public VisualizationSocket(VisualizationBus bus, DashboardStatus status) {
        this(bus, status, null);
    }

    /** @param queries answers the dashboard's usage and sessions queries; null for a socket that answers none */
    public VisualizationSocket(VisualizationBus bus, DashboardStatus status, DashboardQueries queries) {
        this.bus = bus;
        this.status = status;
        this.queries = queries;
    }

    /** The endpoint's handlers, for {@code routes.ws(path, socket::configure)}. */
    public void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            // A place is taken before the check, so connections arriving together cannot both take the last one.
            if (open.incrementAndGet() > MAX_CONNECTIONS) {
                open.decrementAndGet();
                if (refusalLogged.compareAndSet(false, true)) { // once per flood, not once per connection
                    log.warn("refusing visualization websockets: {} are open already", MAX_CONNECTIONS);
                }
                ctx.closeSession(1013, "too many dashboard connections");
                return;
            }
            refusalLogged.set(false);
            Principal who = Exchange.of(ctx).principal();
            BusSubscription subscription;
            try {
                subscription = bus.subscribe("websocket " + ctx.session.getRemoteSocketAddress() + " (" + who.id()
                        + ")", EventVisibility.of(who));
            } catch (RuntimeException e) {
                open.decrementAndGet();
                throw e;
            }
            connections.put(ctx.sessionId(), subscription);
            answers.put(ctx.sessionId(), new ConcurrentLinkedQueue<>());
            Thread.ofVirtual().name("ncp-visualization-ws").start(() -> send(ctx, subscription, who.operator()));
        });
        ws.onMessage(ctx -> {
            Queue<String> out = answers.get(ctx.sessionId());
            if (queries != null && out != null && out.size() < MAX_PENDING_ANSWERS) {
                queries.answer(ctx.message(), Exchange.of(ctx).principal()).ifPresent(out::add);
            }
        });
        ws.onClose(ctx -> disconnect(ctx.sessionId()));
        ws.onError(ctx -> disconnect(ctx.sessionId()));
    }

    private void send(WsContext ctx, BusSubscription subscription, boolean operator) {
        try {
            long nextStatus = System.nanoTime();
            while (!subscription.closed() && ctx.session.isOpen()) {
                if (System.nanoTime() - nextStatus >= 0) {
                    sendAndWait(ctx, operator ? status.get() : status.ownScope());
                    nextStatus = System.nanoTime() + STATUS_EVERY_NANOS;
                }
                Queue<String> pending = answers.get(ctx.sessionId());
                for (String answer; pending != null && (answer = pending.poll()) != null; ) {
                    sendAndWait(ctx, answer);
                }
                BusMessage message = subscription.poll(POLL_MILLIS);
                if (message != null) {
                    sendAndWait(ctx, message.json());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            log.info("closing a visualization websocket that took nothing for {} s", SEND_TIMEOUT_SECONDS);
            ctx.closeSession();
        } catch (ExecutionException | RuntimeException e) {
            // the connection failed; onClose/onError cleans up
        } finally {
            disconnect(ctx.sessionId());
        }
    }

    private static void sendAndWait(WsContext ctx, String text)
            throws InterruptedException, ExecutionException, TimeoutException {
        var sent = new Callback.Completable();
        ctx.session.sendText(text, sent);
        sent.get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private void disconnect(String sessionId) {
        answers.remove(sessionId);
        BusSubscription subscription = connections.remove(sessionId);
        if (subscription != null) {
            open.decrementAndGet(); // once per accepted connection: only the first removal finds it
            subscription.close();
        }
    }
}
