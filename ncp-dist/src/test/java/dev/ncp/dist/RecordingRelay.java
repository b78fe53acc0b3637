package dev.ncp.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A transparent HTTP relay between a client under test (Claude Code) and ncp that records what the client sent, so
 * a test can hold each Messages request against the upstream request ncp made of it. Responses stream through
 * unbuffered (SSE included).
 *
 * <p>Messages requests are relayed one at a time, so the i-th one the client sent is the i-th one the upstream saw
 * even when the client sends several at once.
 */
final class RecordingRelay implements AutoCloseable {

    /** A request as the client sent it. */
    record Recorded(String method, String path, String query, byte[] body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + new String(body), e);
            }
        }

        boolean isMessages() {
            return method.equals("POST") && path.equals("/v1/messages");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Hop-by-hop headers and those the JDK client sets itself. */
    private static final Set<String> NOT_RELAYED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");

    private final URI target;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final List<String> messagesAnswers = new CopyOnWriteArrayList<>();
    private final ReentrantLock messagesInOrder = new ReentrantLock(true);

    private RecordingRelay(URI target, HttpServer server) {
        this.target = target;
        this.server = server;
        server.setExecutor(executor);
        server.createContext("/", this::relay);
        server.start();
    }

    /** Starts a relay on a free port of 127.0.0.1 in front of {@code target} (e.g. {@code http://127.0.0.1:8788}). */
    static RecordingRelay start(String target) throws IOException {
        return new RecordingRelay(URI.create(target),
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    }

    /** What the client is given as its {@code ANTHROPIC_BASE_URL}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Recorded> requests() {
        return List.copyOf(requests);
    }

    /** The bodies of the Messages requests (not count_tokens), in the order they were relayed. */
    List<JsonNode> messagesRequests() {
        return requests.stream().filter(Recorded::isMessages).map(Recorded::json).toList();
    }

    /** The answers ncp gave to the Messages requests, as text (SSE or JSON), in order. */
    List<String> messagesAnswers() {
        return List.copyOf(messagesAnswers);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        client.close();
    }

    private void relay(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            byte[] body = exchange.getRequestBody().readAllBytes();
            var recorded = new Recorded(exchange.getRequestMethod(), uri.getPath(), uri.getRawQuery(), body);
            if (recorded.isMessages()) {
                messagesInOrder.lock();
            }
            try {
                requests.add(recorded);
                forward(exchange, recorded);
            } finally {
                if (recorded.isMessages()) {
                    messagesInOrder.unlock();
                }
            }
        }
    }

    private void forward(HttpExchange exchange, Recorded recorded) throws IOException {
        String pathAndQuery = recorded.path() + (recorded.query() == null ? "" : "?" + recorded.query());
        var request = HttpRequest.newBuilder(target.resolve(pathAndQuery)).method(recorded.method(),
                recorded.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(recorded.body()));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_RELAYED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        response.headers().map().forEach((name, values) -> {
            if (!NOT_RELAYED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        boolean noBody = recorded.method().equals("HEAD") || response.statusCode() == 204
                || response.statusCode() == 304;
        exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : 0);
        var copy = new java.io.ByteArrayOutputStream();
        try (InputStream in = response.body(); OutputStream out = exchange.getResponseBody()) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                out.flush();
                if (recorded.isMessages()) {
                    copy.write(buffer, 0, n);
                }
            }
        } finally {
            if (recorded.isMessages()) {
                messagesAnswers.add(copy.toString(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }
}
