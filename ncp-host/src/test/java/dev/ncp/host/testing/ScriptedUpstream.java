package dev.ncp.host.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real HTTP server on 127.0.0.1 that plays an OpenAI-compatible upstream from a script: each request gets the
 * next queued {@link Script} (a recorded fixture, optionally dribbled out in pieces with delays, or an error answer
 * from errors.json). It records every request and notices when a client hangs up mid-answer — even while it sends
 * nothing, as clients connect through a {@link TcpRelay}, which also counts open connections and can reset one.
 *
 * <pre>{@code
 * try (var upstream = ScriptedUpstream.start()) {
 *     upstream.enqueue(Script.fixture("text-then-tool-call.sse").chunked(7, Duration.ofMillis(2)));
 *     // point the code under test at upstream.baseUrl() ...
 *     upstream.requests().get(0).json().get("model");
 * }
 * }</pre>
 * With no script queued, a request gets the {@link #fallback} answer, by default a 500 that says so.
 */
public final class ScriptedUpstream implements AutoCloseable {

    /** A request as the server received it; header names are lower-case. */
    public record RecordedRequest(String method, String path, Map<String, List<String>> headers, byte[] body) {

        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("request body is not JSON: " + bodyText(), e);
            }
        }
    }

    /** How long {@link Script#thenReset()} waits after the body before resetting the connection. */
    private static final Duration RESET_GRACE = Duration.ofMillis(300);

    private final HttpServer server;
    private final TcpRelay relay;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentLinkedQueue<Script> scripts = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch disconnected = new CountDownLatch(1);
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Function<RecordedRequest, Script> fallback = request ->
            Script.status(500, Map.of(), "{\"error\":{\"message\":\"ScriptedUpstream: no answer scripted\"}}");

    private ScriptedUpstream(HttpServer server) throws IOException {
        this.server = server;
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        this.relay = new TcpRelay(server.getAddress().getPort());
    }

    /** Starts a server on a free port of 127.0.0.1. */
    public static ScriptedUpstream start() {
        // The JDK server reads this once: without it Nagle holds every write after the first until the client's
        // delayed ACK (~40 ms), which makes answers sent in pieces slow and their timing unlike NIM's.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            return new ScriptedUpstream(HttpServer.create(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the scripted upstream", e);
        }
    }

    /** The base URL an upstream client is configured with: {@code http://127.0.0.1:<port>/v1}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + relay.port() + "/v1");
    }

    /** Queues the answer for the next request; answers are used in order, once each. */
    public ScriptedUpstream enqueue(Script script) {
        scripts.add(script);
        return this;
    }

    /**
     * The answer for every request that finds the queue empty, as often as needed. Clients that send a varying
     * number of requests (Claude Code retrying, resuming or asking a small model on the side) get this one.
     */
    public ScriptedUpstream fallback(Script script) {
        fallback = request -> script;
        return this;
    }

    /** Like {@link #fallback(Script)}, with the answer chosen by the request (e.g. by a word in its prompt). */
    public ScriptedUpstream fallback(Function<RecordedRequest, Script> choice) {
        fallback = choice;
        return this;
    }

    /** Every request received so far, in order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** TCP connections the client opened since the start (each one counts once, closed or not). */
    public int acceptedConnections() {
        return relay.acceptedConnections();
    }

    /** Client connections open right now (pooled idle ones included). */
    public int openConnections() {
        return relay.openConnections();
    }

    /** Waits until a client hung up while an answer was still being sent; false if none did in time. */
    public boolean awaitClientDisconnect(Duration timeout) throws InterruptedException {
        return disconnected.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closing.countDown();
        relay.close();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            var request = new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    lowerCase(exchange.getRequestHeaders()), body);
            requests.add(request);
            Script script = scripts.poll();
            if (script == null) {
                script = fallback.apply(request);
            }
            play(script, exchange);
        }
    }

    private void play(Script script, HttpExchange exchange) throws IOException {
        TcpRelay.Link link = relay.link(exchange.getRemoteAddress());
        try {
            sleep(script.headerDelay);
            if (script.resetBeforeHeaders) {
                link.reset();
                return;
            }
            script.headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(script.status,
                    script.streamed() ? 0 : script.body.length == 0 ? -1 : script.body.length);
            OutputStream out = exchange.getResponseBody();
            if (script.cuts != null) {
                int from = 0;
                for (int cut : script.cuts) {
                    out.write(script.body, from, cut - from);
                    out.flush();
                    from = cut;
                }
                out.write(script.body, from, script.body.length - from);
                out.flush();
            }
            int step = script.bytesPerWrite <= 0 ? script.body.length : script.bytesPerWrite;
            for (int off = 0; script.cuts == null && off < script.body.length; off += step) {
                if (off > 0) {
                    sleep(script.delay);
                }
                out.write(script.body, off, Math.min(step, script.body.length - off));
                out.flush();
            }
            if (script.repeated != null) {
                for (int i = 0; i < script.repeated.times(); i++) {
                    out.write(script.repeated.piece());
                }
                out.write(script.repeated.tail());
                out.flush();
            }
            if (script.trickleEvery != null) {
                // Keep the answer open with SSE comments until the client hangs up (or the server closes).
                while (closing.getCount() > 0) {
                    sleep(script.trickleEvery);
                    out.write(": still thinking\n\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } else if (script.hang) {
                // Silent until the client closes its connection (the relay sees that without a write) or we stop.
                while (closing.getCount() > 0 && !link.awaitClosed(Duration.ofMillis(20))) {
                    // keep waiting
                }
                if (link.isClosed() && closing.getCount() > 0) {
                    disconnected.countDown();
                }
            } else if (script.resetAfterBody) {
                sleep(RESET_GRACE); // a reset discards what the client has not read yet: let the body arrive first
                link.reset();
            }
        } catch (IOException clientGone) {
            disconnected.countDown();
            throw clientGone;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(Duration d) throws InterruptedException {
        if (d != null && !d.isZero()) {
            Thread.sleep(d);
        }
    }

    private static Map<String, List<String>> lowerCase(Headers headers) {
        var map = new LinkedHashMap<String, List<String>>();
        headers.forEach((k, v) -> map.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        return map;
    }

    /** One scripted answer. Immutable; the {@code with...}-style methods return modified copies. */
    public static final class Script {
        private final int status;
        private final Map<String, String> headers;
        private final byte[] body;
        private int bytesPerWrite;
        /** Offsets at which the body is cut into separately flushed writes, or null. */
        private int[] cuts;
        private Duration delay = Duration.ZERO;
        private Duration headerDelay = Duration.ZERO;
        private Duration trickleEvery;
        private boolean hang;
        private boolean forceStreamed;
        private boolean resetBeforeHeaders;
        private boolean resetAfterBody;
        private Repeated repeated;

        /** A body part generated while it is sent: {@code piece} {@code times} over, then {@code tail}. */
        private record Repeated(byte[] piece, int times, byte[] tail) {
        }

        private Script(int status, Map<String, String> headers, byte[] body) {
            this.status = status;
            this.headers = Map.copyOf(headers);
            this.body = body.clone();
        }

        private Script copy() {
            return copy(headers);
        }

        private Script copy(Map<String, String> withHeaders) {
            var s = new Script(status, withHeaders, body);
            s.bytesPerWrite = bytesPerWrite;
            s.cuts = cuts;
            s.delay = delay;
            s.headerDelay = headerDelay;
            s.trickleEvery = trickleEvery;
            s.hang = hang;
            s.forceStreamed = forceStreamed;
            s.resetBeforeHeaders = resetBeforeHeaders;
            s.resetAfterBody = resetAfterBody;
            s.repeated = repeated;
            return s;
        }

        /** A 200 {@code text/event-stream} answer with the bytes of {@code fixtures/upstream/<name>}. */
        public static Script fixture(String name) {
            return stream(Fixtures.upstream(name));
        }

        /** A 200 {@code text/event-stream} answer with these bytes. */
        public static Script stream(byte[] sse) {
            var s = new Script(200, Map.of("Content-Type", "text/event-stream"), sse);
            s.forceStreamed = true;
            return s;
        }

        /**
         * A 200 stream of {@code head}, then {@code piece} repeated {@code times} times, then {@code tail}, written as
         * it goes: an answer of any length (tens of MB) without holding it in the test's memory.
         */
        public static Script repeating(byte[] head, byte[] piece, int times, byte[] tail) {
            Script s = stream(head);
            s.repeated = new Repeated(piece.clone(), times, tail.clone());
            return s;
        }

        /** The error answer named {@code name} in {@code fixtures/upstream/errors.json}. */
        public static Script error(String name) {
            JsonNode entry = Fixtures.upstreamErrors().get(name);
            if (entry == null) {
                throw new IllegalArgumentException("no entry " + name + " in errors.json");
            }
            var headers = new LinkedHashMap<String, String>();
            entry.path("headers").fields().forEachRemaining(f -> headers.put(f.getKey(), f.getValue().asText()));
            JsonNode body = entry.get("body");
            String text = body.isTextual() ? body.asText() : body.toString();
            headers.putIfAbsent("content-type", body.isTextual() ? "text/plain" : "application/json");
            return status(entry.get("status").asInt(), headers, text);
        }

        /** Any status, headers and body, sent with a Content-Length. */
        public static Script status(int status, Map<String, String> headers, String body) {
            return new Script(status, headers, body.getBytes(StandardCharsets.UTF_8));
        }

        /** The same answer with one more response header (e.g. {@code Content-Encoding}, a different type). */
        public Script withHeader(String name, String value) {
            var more = new LinkedHashMap<>(headers);
            more.keySet().removeIf(k -> k.equalsIgnoreCase(name));
            more.put(name, value);
            return copy(more);
        }

        /** Sends the body in pieces of {@code bytes}, waiting {@code delay} between them. */
        public Script chunked(int bytes, Duration delay) {
            var s = copy();
            s.bytesPerWrite = bytes;
            s.delay = delay;
            s.forceStreamed = true;
            return s;
        }

        /**
         * Sends the body in pieces cut at these offsets (ascending), each flushed on its own, so the reader sees a
         * boundary there as often as the network keeps it (the pieces are not guaranteed to arrive apart).
         */
        public Script cutAt(int... offsets) {
            var s = copy();
            s.cuts = offsets.clone();
            s.forceStreamed = true;
            return s;
        }

        /** Waits this long before sending the status line and headers (the upstream "thinking"). */
        public Script delayHeaders(Duration d) {
            var s = copy();
            s.headerDelay = d;
            return s;
        }

        /** After the body, keeps the answer open, sending an SSE comment every {@code every} until the client hangs up. */
        public Script thenTrickle(Duration every) {
            var s = copy();
            s.trickleEvery = every;
            s.forceStreamed = true;
            return s;
        }

        /** After the body, keeps the answer open and silent until the server is closed. */
        public Script thenHang() {
            var s = copy();
            s.hang = true;
            s.forceStreamed = true;
            return s;
        }

        /** Reads the request, then resets the connection (TCP RST) without answering: a crashed upstream. */
        public static Script resetBeforeHeaders() {
            var s = new Script(200, Map.of(), new byte[0]);
            s.resetBeforeHeaders = true;
            return s;
        }

        /**
         * After the body (or the part of it given) and a short pause for it to arrive, resets the connection instead
         * of ending the answer.
         */
        public Script thenReset() {
            var s = copy();
            s.resetAfterBody = true;
            s.forceStreamed = true;
            return s;
        }

        private boolean streamed() {
            return forceStreamed;
        }
    }
}
