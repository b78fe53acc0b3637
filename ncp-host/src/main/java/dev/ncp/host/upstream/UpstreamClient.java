package dev.ncp.host.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.error.ErrorType;
import dev.ncp.api.openai.ChatRequest;
import dev.ncp.host.http.ApiError;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Sends chat-completion requests to the upstream with the JDK's HTTP client (pooled connections, HTTP/2 where the
 * server offers it, HTTP/1.1 otherwise) and hands back the body as a stream. One instance serves the whole process.
 *
 * <p>{@link #open} returns once the response headers are in. A 2xx answer becomes an {@link UpstreamResponse};
 * anything else, or a failure to get an answer at all, an {@link ApiError} for the client. An interrupted caller
 * cancels the exchange.
 */
public final class UpstreamClient implements AutoCloseable {

    private final UpstreamSettings settings;
    private final ObjectMapper json;
    private final UpstreamErrorMapper errors;
    private final HttpClient http;
    /** Built once: URI.create parses and checks the whole string, on every request otherwise. */
    private final URI chatCompletions;

    public UpstreamClient(UpstreamSettings settings, ObjectMapper json, UpstreamErrorMapper errors) {
        this.settings = settings;
        this.chatCompletions = settings.chatCompletionsUri();
        this.json = json;
        this.errors = errors;
        // HTTP/2 is negotiated over TLS (ALPN), falling back to HTTP/1.1 by itself. Over plain http it would mean
        // an h2c upgrade attempt, which self-hosted servers seldom support and some mishandle: HTTP/1.1 there.
        boolean tls = "https".equalsIgnoreCase(settings.baseUrl().getScheme());
        this.http = HttpClient.newBuilder()
                .version(settings.http2() && tls ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Sends {@code request} (which should ask for {@code stream: true}) and waits for the response headers. */
    public UpstreamResponse open(ChatRequest request) {
        return open(request, null);
    }

    /**
     * As {@link #open(ChatRequest)}, sending {@code requestId} (ncp's {@code request-id}) as {@code X-Request-Id},
     * so one request can be followed from the client through ncp's logs into the upstream's.
     */
    public UpstreamResponse open(ChatRequest request, String requestId) {
        return open(request, requestId, null);
    }

    /**
     * As {@link #open(ChatRequest, String)}, authenticating with {@code apiKey} instead of the configured key when
     * it is not null: a client's own key under {@code NCP_KEY_PASSTHROUGH}. The key goes into this one request's
     * Authorization header and nowhere else.
     */
    public UpstreamResponse open(ChatRequest request, String requestId, String apiKey) {
        CompletableFuture<HttpResponse<InputStream>> exchange = http.sendAsync(
                httpRequest(request, requestId, apiKey != null ? apiKey : settings.apiKey()),
                HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> response;
        try {
            response = exchange.get();
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new ApiError(ErrorType.API, "The upstream request was cancelled.");
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
        if (response.statusCode() / 100 != 2) {
            throw errorAnswer(response, request.model());
        }
        return new UpstreamResponse(response.body(), () -> exchange.cancel(true));
    }

    @Override
    public void close() {
        http.shutdownNow();
    }

    private HttpRequest httpRequest(ChatRequest request, String requestId, String apiKey) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("chat request cannot be written as JSON", e);
        }
        var builder = HttpRequest.newBuilder(chatCompletions)
                .timeout(settings.firstByteTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (apiKey != null && !apiKey.isBlank()) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        if (requestId != null && !requestId.isEmpty()) {
            builder.header("X-Request-Id", requestId);
        }
        return builder.build();
    }

    private ApiError failure(Throwable cause) {
        String where = settings.baseUrl().getHost();
        if (cause instanceof HttpConnectTimeoutException) {
            return new ApiError(ErrorType.TIMEOUT, 504, "could not reach the upstream at " + where + ": no connection"
                    + " within " + settings.connectTimeout().toSeconds() + " s", Map.of());
        }
        if (cause instanceof HttpTimeoutException) {
            return new ApiError(ErrorType.TIMEOUT, 504, "The upstream at " + where + " did not answer within "
                    + settings.firstByteTimeout().toSeconds() + " s.", Map.of());
        }
        if (cause instanceof IOException io) {
            return errors.unreachable(settings.baseUrl(), io);
        }
        return new ApiError(ErrorType.API, 502, "could not reach the upstream at " + where + ": " + cause, Map.of());
    }

    private ApiError errorAnswer(HttpResponse<InputStream> response, String model) {
        String body;
        try (InputStream in = response.body()) {
            body = new String(in.readNBytes(settings.maxErrorBodyBytes()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            body = "";
        }
        Map<String, String> headers = new HashMap<>();
        response.headers().firstValue("retry-after").ifPresent(v -> headers.put("retry-after", v));
        return errors.fromResponse(response.statusCode(), headers, body, model);
    }
}
