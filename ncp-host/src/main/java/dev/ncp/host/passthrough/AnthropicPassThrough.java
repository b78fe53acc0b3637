package dev.ncp.host.passthrough;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.error.ErrorType;
import dev.ncp.host.anthropic.JsonBodyLimits;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.exchange.Exchange;
import dev.ncp.host.observe.Observability;
import dev.ncp.host.observe.RequestTrace;
import dev.ncp.host.response.UpstreamErrorMapper;
import dev.ncp.host.upstream.Upstream;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@code NCP_UPSTREAM_PROTOCOL=anthropic}: the upstream speaks the Messages API itself (a self-hosted NIM container
 * can), so requests go through untranslated — still behind ncp's auth, rate limits, request ids, the JSON depth and
 * tool-count limits and the principal's model allow-list, and observed like any answer (the access log and metrics
 * name the model and count the tokens the upstream reports). Answers stream back byte for byte, flushed as they
 * arrive; a client that hangs up cancels the upstream exchange.
 */
public final class AnthropicPassThrough implements AutoCloseable {

    /** Request headers worth forwarding; credentials are replaced by the upstream key. */
    private static final List<String> FORWARDED = List.of("anthropic-version", "anthropic-beta", "content-type",
            "accept", "anthropic-idempotency-key");
    /** Response headers worth passing back. */
    private static final List<String> RETURNED = List.of("content-type", "retry-after", "cache-control");

    private final URI baseUrl;
    private final Optional<String> apiKey;
    private final Duration firstByteTimeout;
    private final UpstreamErrorMapper errors;
    private final PassThroughRequest.Reader requests;
    private final Observability observe;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http;

    /**
     * @param maxJsonDepth {@code NCP_MAX_JSON_DEPTH}
     * @param maxTools     {@code NCP_MAX_TOOLS}
     */
    public AnthropicPassThrough(URI baseUrl, Optional<String> apiKey, Duration connectTimeout,
                                Duration firstByteTimeout, UpstreamErrorMapper errors, int maxJsonDepth, int maxTools,
                                Observability observe) {
        this.baseUrl = baseUrl;
        this.requests = new PassThroughRequest.Reader(new JsonBodyLimits(maxJsonDepth, maxTools));
        this.observe = observe;
        this.apiKey = apiKey;
        this.firstByteTimeout = firstByteTimeout;
        this.errors = errors;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Forwards {@code POST /v1/messages} to {@code <base>/messages}. */
    public void messages(Context ctx) throws IOException {
        forward(ctx, "/messages", true);
    }

    /** Forwards {@code POST /v1/messages/count_tokens} to {@code <base>/messages/count_tokens}. */
    public void countTokens(Context ctx) throws IOException {
        forward(ctx, "/messages/count_tokens", false);
    }

    /** The request's body as the pass-through reads it: its model, whether it streams; 400s for a bad body. */
    PassThroughRequest read(byte[] body) {
        return requests.read(body);
    }

    /** @param answer whether this is an answer (traced, counted) rather than a token count */
    private void forward(Context ctx, String path, boolean answer) throws IOException {
        byte[] body = ctx.bodyAsBytes();
        PassThroughRequest request = requests.read(body);
        Optional<RequestTrace> trace = Optional.empty();
        if (answer) {
            trace = Optional.of(begin(ctx, request));
        }
        checkAllowed(ctx, request);
        Map<String, String> traceHeaders = trace.map(t -> t.passThroughAttempt(Upstream.DEFAULT_NAME))
                .orElse(Map.of());
        Opened opened;
        try {
            opened = send(ctx, path, body, true, traceHeaders);
        } catch (ApiError e) {
            trace.ifPresent(t -> t.passThroughFailed(e));
            throw e;
        }
        try {
            relay(ctx, opened, trace);
        } finally {
            trace.ifPresent(RequestTrace::passThroughEnded);
        }
    }

    /** The request's trace begins, for an answer passed through untranslated to {@code request}'s model. */
    RequestTrace begin(Context ctx, PassThroughRequest request) {
        RequestTrace trace = Exchange.of(ctx).beginTrace(observe, request.model(), request.stream());
        trace.passedThrough(request.model());
        return trace;
    }

    /** The principal's model allow-list, checked before any upstream call. */
    static void checkAllowed(Context ctx, PassThroughRequest request) {
        if (!Exchange.of(ctx).principal().mayUse(request.model())) {
            throw new ApiError(ErrorType.PERMISSION, "Your key may not use the model '" + request.model()
                    + "'. Ask the operator of this ncp proxy to allow it, or pick an allowed model.");
        }
    }

    /** An upstream answer whose headers said 2xx, not yet read. */
    record Opened(HttpResponse<InputStream> response, CompletableFuture<HttpResponse<InputStream>> exchange) {
    }

    /**
     * Sends {@code body} to {@code <base><path>} and waits for the response headers; nothing has reached the client
     * yet when it throws, so another upstream may still take the request.
     *
     * @param clientKeyAllowed whether a client's own key may go there: to the default upstream only
     * @param traceHeaders     W3C trace context of the attempt ({@code traceparent}, {@code tracestate})
     * @throws ApiError the upstream's error, Anthropic-shaped, or its unreachability
     */
    Opened send(Context ctx, String path, byte[] body, boolean clientKeyAllowed, Map<String, String> traceHeaders)
            throws IOException {
        CompletableFuture<HttpResponse<InputStream>> exchange =
                http.sendAsync(upstreamRequest(ctx, path, body, clientKeyAllowed, traceHeaders),
                        HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> response = await(exchange);
        if (response.statusCode() / 100 != 2) {
            try (InputStream error = response.body()) {
                throw errorOf(response, error);
            }
        }
        return new Opened(response, exchange);
    }

    /** Streams an opened answer to the client byte for byte, flushed as it arrives, its usage noted by the trace. */
    void relay(Context ctx, Opened opened, Optional<RequestTrace> trace) throws IOException {
        HttpResponse<InputStream> response = opened.response();
        try (InputStream body = trace.map(t -> t.firstByteOf(response.body())).orElse(response.body())) {
            ctx.status(response.statusCode());
            for (String name : RETURNED) {
                response.headers().firstValue(name).ifPresent(v -> ctx.header(name, v));
            }
            boolean eventStream = response.headers().firstValue("content-type")
                    .map(t -> t.startsWith("text/event-stream")).orElse(false);
            Optional<UsageTap> usage = trace.map(t -> new UsageTap(json, eventStream, t::usageReported));
            usage.ifPresent(Exchange.of(ctx).taps()::copyBytesTo);
            copy(body, Exchange.of(ctx).taps().wrap(ctx.res().getOutputStream()), opened.exchange());
            usage.ifPresent(UsageTap::close);
        }
    }

    /** @param clientKeyAllowed whether a client's own key may go there: to the default upstream only */
    private HttpRequest upstreamRequest(Context ctx, String path, byte[] body, boolean clientKeyAllowed,
                                        Map<String, String> traceHeaders) {
        String base = baseUrl.toString();
        var builder = HttpRequest.newBuilder(URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1)
                        : base) + path))
                .timeout(firstByteTimeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (String name : FORWARDED) {
            String value = ctx.header(name);
            if (value != null) {
                builder.header(name, value);
            }
        }
        traceHeaders.forEach(builder::header);
        // NCP_KEY_PASSTHROUGH: a client's own key goes upstream in place of NVIDIA_API_KEY
        (clientKeyAllowed ? Exchange.of(ctx).upstreamKey() : Optional.<String>empty()).or(() -> apiKey)
                .ifPresent(key -> builder.header("Authorization", "Bearer " + key).header("x-api-key", key));
        return builder.build();
    }

    private HttpResponse<InputStream> await(CompletableFuture<HttpResponse<InputStream>> exchange) {
        try {
            return exchange.get();
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new ApiError(ErrorType.API, "The upstream request was cancelled.");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw errors.unreachable(baseUrl, io);
            }
            throw new ApiError(ErrorType.API, "The upstream request failed: " + cause);
        }
    }

    /** An Anthropic upstream's error is already Anthropic-shaped; anything else is mapped like an OpenAI one. */
    private ApiError errorOf(HttpResponse<InputStream> response, InputStream body) throws IOException {
        String text = new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        Map<String, String> headers = new java.util.HashMap<>();
        response.headers().firstValue("retry-after").ifPresent(v -> headers.put("retry-after", v));
        return errors.fromResponse(response.statusCode(), headers, text, "");
    }

    private static void copy(InputStream in, OutputStream out, CompletableFuture<?> exchange) throws IOException {
        byte[] buffer = new byte[8192];
        int n;
        try {
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush(); // SSE: every event reaches the client as soon as upstream sends it
            }
        } catch (IOException clientOrUpstreamGone) {
            exchange.cancel(true);
            throw clientOrUpstreamGone;
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
