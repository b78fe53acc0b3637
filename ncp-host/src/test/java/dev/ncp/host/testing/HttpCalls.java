package dev.ncp.host.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Raw HTTP calls to an ncp (when a test needs exact bytes and headers rather than the SDK's view), with bounded
 * timeouts so that a hanging request fails the test instead of stalling it.
 */
public final class HttpCalls {

    public static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpCalls() {
    }

    /** A minimal Messages request body. */
    public static String messagesBody(boolean stream, String text) {
        return "{\"model\":\"claude-opus-4-5\",\"max_tokens\":64,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    }

    public static HttpResponse<byte[]> postMessages(String baseUrl, String body, Map<String, String> headers) {
        var b = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/messages")).timeout(TIMEOUT)
                .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return send(b.build());
    }

    public static HttpResponse<byte[]> get(String baseUrl, String path, Map<String, String> headers) {
        var b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT).GET();
        headers.forEach(b::header);
        return send(b.build());
    }

    public static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    public static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /**
     * Rate limits count in clock-aligned minutes; a test that must stay in one window waits for the next minute when
     * less than {@code needed} is left of this one.
     */
    public static void awaitRoomInCurrentMinute(Duration needed) {
        Instant now = Instant.now();
        long msIntoMinute = now.toEpochMilli() % 60_000;
        long left = 60_000 - msIntoMinute;
        if (left < needed.toMillis()) {
            try {
                Thread.sleep(left + 50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
