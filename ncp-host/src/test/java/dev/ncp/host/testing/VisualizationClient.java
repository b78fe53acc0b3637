package dev.ncp.host.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A websocket client of {@code /ws/stream-visualization} (the JDK's) that keeps every message it receives. */
public final class VisualizationClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final WebSocket socket;

    private VisualizationClient(String baseUrl, String apiKey) {
        URI uri = URI.create(baseUrl.replaceFirst("^http", "ws") + "/ws/stream-visualization");
        var builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (apiKey != null) {
            builder.header("x-api-key", apiKey);
        }
        this.socket = builder.buildAsync(uri, new Collector()).join();
    }

    /** Connects to the proxy at {@code baseUrl} ({@code http://127.0.0.1:port}). */
    public static VisualizationClient connect(String baseUrl) {
        return new VisualizationClient(baseUrl, null);
    }

    /** Connects as the principal of {@code apiKey} (sent as {@code x-api-key} on the upgrade request). */
    public static VisualizationClient connect(String baseUrl, String apiKey) {
        return new VisualizationClient(baseUrl, apiKey);
    }

    /** Every message (status messages and other requests' events too) up to request {@code requestId}'s finish. */
    public List<JsonNode> requestUntilFinishKeepingAll(String requestId, Duration timeout)
            throws InterruptedException {
        return until(m -> m.path("request_id").asText().equals(requestId) && m.path("type").asText().equals("finish"),
                timeout);
    }

    /** Every message up to and including the first that matches {@code last}; fails after {@code timeout}. */
    public List<JsonNode> until(Predicate<JsonNode> last, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        var seen = new ArrayList<JsonNode>();
        while (true) {
            JsonNode m = messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError("no matching visualization message within " + timeout + "; got " + seen);
            }
            seen.add(m);
            if (last.test(m)) {
                return seen;
            }
        }
    }

    /** The events of request {@code requestId} up to its finish event. */
    public List<JsonNode> requestUntilFinish(String requestId, Duration timeout) throws InterruptedException {
        return until(m -> m.path("request_id").asText().equals(requestId) && m.path("type").asText().equals("finish"),
                timeout).stream().filter(m -> m.path("request_id").asText().equals(requestId)).toList();
    }

    @Override
    public void close() {
        socket.abort();
        http.close();
    }

    private final class Collector implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(JSON.readTree(partial.toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException("not JSON: " + partial, e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
