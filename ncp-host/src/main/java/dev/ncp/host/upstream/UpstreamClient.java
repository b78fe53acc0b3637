package dev.ncp.host.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.error.ErrorType;
import dev.ncp.api.openai.ChatRequest;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.response.UpstreamErrorMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpClientTransport;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Sends chat-completion requests to the upstream with Jetty's HTTP client (pooled connections, HTTP/2 where the
 * server offers it, HTTP/1.1 otherwise) and hands back the body as a stream. One instance serves the whole process.
 * Jetty's rather than the JDK's: a chunk that arrives alone costs the JDK client three thread wake-ups (selector,
 * worker, reader), this one two (its network thread copies the chunk and wakes the reader).
 *
 * <p>{@link #open} returns once the response headers are in. A 2xx answer becomes an {@link UpstreamResponse};
 * anything else, or a failure to get an answer at all, an {@link ApiError} for the client. An interrupted caller
 * cancels the exchange.
 */
public final class UpstreamClient implements AutoCloseable {

    private final UpstreamSettings settings;
    private final ObjectMapper json;
    private final UpstreamErrorMapper errors;
    /** The Jetty client, made and started on its own thread (see the constructor). */
    private final CompletableFuture<HttpClient> client;
    /**
     * How long a whole answer waits for its body to end (the last chunk after [DONE]) before the exchange is
     * aborted; the client's response ends after it, so this is short.
     */
    static final long RELEASE_WAIT_MILLIS = 100;
    /** Built once: URI.create parses and checks the whole string, on every request otherwise. */
    private final URI chatCompletions;

    public UpstreamClient(UpstreamSettings settings, ObjectMapper json, UpstreamErrorMapper errors) {
        this(settings, json, errors, new SslContextFactory.Client());
    }

    /** As the public constructor, trusting what {@code tls} trusts (the JVM's default trust store there). */
    UpstreamClient(UpstreamSettings settings, ObjectMapper json, UpstreamErrorMapper errors,
                   SslContextFactory.Client tls) {
        this.settings = settings;
        this.chatCompletions = settings.chatCompletionsUri();
        this.json = json;
        this.errors = errors;
        // Making and starting the Jetty client loads the platform MBean server (Jetty's MemoryUtils registers an
        // MBean) and the JVM's TLS stack and trust store: a few hundred ms of a start that otherwise answers
        // /health in well under a second. It runs on its own thread beside the rest of start-up; the first request
        // waits for it if it has not finished yet.
        this.client = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("ncp-upstream-start").start(() -> {
            try {
                client.complete(started(settings, tls));
            } catch (Throwable e) {
                client.completeExceptionally(e);
            }
        });
    }

    private static HttpClient started(UpstreamSettings settings, SslContextFactory.Client tls) throws Exception {
        var http = new HttpClient(transport(settings, tls));
        // Its own small pool of platform threads: the selector runs there and, the transport being non-blocking, reads
        // and queues the bytes itself; nothing in it waits on ncp's work. A selector on a virtual thread would pin
        // a carrier in epoll.
        var threads = new QueuedThreadPool(16, 2);
        threads.setName("ncp-upstream");
        threads.setDaemon(true);
        http.setExecutor(threads);
        http.setConnectTimeout(settings.connectTimeout().toMillis());
        http.setFollowRedirects(false);
        http.setUserAgentField(null);
        // No cap on connections per upstream, as with the JDK client (Jetty's default, 64, queues the 65th stream).
        http.setMaxConnectionsPerDestination(100_000);
        http.setMaxRequestsQueuedPerDestination(100_000);
        http.start();
        // Both are filled by start(). The JDK client's behaviour: no Accept-Encoding (a gzip decoder would hold
        // back SSE events; an upstream that compresses anyway is inflated as it streams, see EncodedBody), and every
        // answer as it came (Jetty's 401 handler fails a 401 without WWW-Authenticate instead of handing over its
        // body; redirects are not followed anyway).
        http.getContentDecoderFactories().clear();
        http.getProtocolHandlers().clear();
        return http;
    }

    /** The Jetty client, once started (the constructor began it); fails as its start failed. */
    private HttpClient http() {
        try {
            return client.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("the upstream HTTP client did not start", e.getCause());
        }
    }

    /**
     * HTTP/2 is negotiated over TLS (ALPN), falling back to HTTP/1.1 by itself. Over plain http it would mean h2c,
     * which self-hosted servers seldom support and some mishandle: HTTP/1.1 there.
     */
    private static HttpClientTransport transport(UpstreamSettings settings, SslContextFactory.Client tlsContext) {
        boolean tls = "https".equalsIgnoreCase(settings.baseUrl().getScheme());
        var connector = new ClientConnector();
        connector.setSelectors(1);
        connector.setSslContextFactory(tlsContext);
        HttpClientTransport transport;
        if (settings.http2() && tls) {
            var http2 = new ClientConnectionFactoryOverHTTP2.HTTP2(new HTTP2Client(connector));
            // HTTP/1.1 listed first: it is what a TLS server without ALPN gets (the first protocol is assumed
            // then, and h2 frames sent to an HTTP/1.1 server fail); a server with ALPN picks h2 from the offer.
            transport = new HttpClientTransportDynamic(connector, HttpClientConnectionFactory.HTTP11, http2);
        } else {
            transport = new HttpClientTransportDynamic(connector, HttpClientConnectionFactory.HTTP11);
        }
        // StreamingBody never blocks (it copies a chunk and signals the reader), so the selector thread may parse
        // and deliver the bytes itself instead of handing each read to a pool thread: one wake-up fewer per chunk.
        transport.setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        return transport;
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
        return open(request, requestId, apiKey, Map.of());
    }

    /**
     * As {@link #open(ChatRequest, String, String)}, with the request's W3C trace context ({@code traceparent},
     * {@code tracestate}) in {@code traceHeaders}, so the upstream's spans join the client's trace.
     */
    public UpstreamResponse open(ChatRequest request, String requestId, String apiKey,
                                 Map<String, String> traceHeaders) {
        return send(request, requestId, apiKey, traceHeaders).awaitHead();
    }

    /**
     * As {@link #open(ChatRequest, String, String, Map)}, but returns as soon as the request is handed to the
     * connection; the first-byte deadline counts from here, not from {@link PendingResponse#awaitHead()}.
     */
    public PendingResponse send(ChatRequest request, String requestId, String apiKey,
                                Map<String, String> traceHeaders) {
        Request exchange = httpRequest(request, requestId, apiKey != null ? apiKey : settings.apiKey(),
                traceHeaders);
        var body = new StreamingBody();
        long sentAt = System.nanoTime();
        exchange.send(body);
        return new PendingResponse() {
            @Override
            public UpstreamResponse awaitHead() {
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt);
                return head(request, exchange, body, Math.max(0, settings.firstByteTimeout().toMillis() - waited));
            }

            @Override
            public void abandon() {
                exchange.abort(new CancellationException("abandoned before its answer began"));
            }
        };
    }

    private UpstreamResponse head(ChatRequest request, Request exchange, StreamingBody body, long timeoutMillis) {
        Response response;
        try {
            response = body.awaitHeaders(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            exchange.abort(new CancellationException("the caller was interrupted"));
            Thread.currentThread().interrupt();
            throw new ApiError(ErrorType.API, "The upstream request was cancelled.");
        } catch (TimeoutException e) {
            exchange.abort(e);
            throw firstByteTimeout();
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
        if (response.getStatus() / 100 != 2) {
            ApiError error = errorAnswer(response, body.body(), request.model());
            exchange.abort(new CancellationException("error answer read")); // a no-op once it ended by itself
            throw error;
        }
        InputStream answer;
        try {
            answer = EncodedBody.decode(response.getHeaders().get(HttpHeader.CONTENT_ENCODING), body.body());
        } catch (ApiError e) {
            exchange.abort(new CancellationException("undecodable answer"));
            throw e;
        }
        if (WholeCompletionBody.isWhole(response.getHeaders().get(HttpHeader.CONTENT_TYPE))) {
            answer = new WholeCompletionBody(answer, json); // stream: true ignored: the same events from one JSON
        }
        return new UpstreamResponse(answer, () -> exchange.abort(new CancellationException("closed")),
                () -> release(exchange, body));
    }

    /**
     * A whole answer's exchange: the rest of its body (the last HTTP/1.1 chunk often comes just after [DONE]) is
     * read and discarded so the connection goes back to the pool before the next request wants one; an exchange
     * that does not end soon (a server that keeps the body open) is aborted, which closes its connection.
     */
    private static void release(Request exchange, StreamingBody body) {
        try {
            if (body.drain(RELEASE_WAIT_MILLIS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exchange.abort(new CancellationException("the body did not end after the answer"));
    }

    @Override
    public void close() {
        try {
            HttpClient http = client.handle((started, failed) -> started).join(); // not while it is still starting
            if (http != null) {
                http.stop();
            }
        } catch (Exception e) {
            // shutting down; open exchanges are aborted either way
        }
    }

    private Request httpRequest(ChatRequest request, String requestId, String apiKey,
                                Map<String, String> traceHeaders) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("chat request cannot be written as JSON", e);
        }
        Request exchange = http().newRequest(chatCompletions)
                .method(HttpMethod.POST)
                // none, as with the JDK client: Jetty would fail a socket silent for 30 s, and silences are the
                // first-byte deadline's and the pump's watchdog's to judge
                .idleTimeout(0, TimeUnit.MILLISECONDS)
                .headers(h -> {
                    h.put(HttpHeader.ACCEPT, "text/event-stream");
                    if (apiKey != null && !apiKey.isBlank()) {
                        h.put(HttpHeader.AUTHORIZATION, "Bearer " + apiKey);
                    }
                    if (requestId != null && !requestId.isEmpty()) {
                        h.put("X-Request-Id", requestId);
                    }
                    settings.headers().forEach(h::put);
                    traceHeaders.forEach(h::put);
                })
                .body(new BytesRequestContent("application/json", body));
        return exchange;
    }

    private ApiError firstByteTimeout() {
        return new ApiError(ErrorType.TIMEOUT, 504, "The upstream at " + settings.baseUrl().getHost()
                + " did not answer within " + settings.firstByteTimeout().toSeconds() + " s.", Map.of());
    }

    private ApiError failure(Throwable cause) {
        String where = settings.baseUrl().getHost();
        if (cause instanceof SocketTimeoutException) { // Jetty's connect timeout
            return new ApiError(ErrorType.TIMEOUT, 504, "could not reach the upstream at " + where + ": no connection"
                    + " within " + settings.connectTimeout().toSeconds() + " s", Map.of());
        }
        if (cause instanceof TimeoutException) {
            return firstByteTimeout();
        }
        if (cause instanceof IOException io) {
            return errors.unreachable(settings.baseUrl(), io);
        }
        return new ApiError(ErrorType.API, 502, "could not reach the upstream at " + where + ": " + cause, Map.of());
    }

    private ApiError errorAnswer(Response response, InputStream body, String model) {
        String text;
        InputStream decoded;
        try {
            decoded = EncodedBody.decode(response.getHeaders().get(HttpHeader.CONTENT_ENCODING), body);
        } catch (ApiError unknownEncoding) {
            decoded = body;
        }
        try (InputStream in = decoded) {
            text = new String(in.readNBytes(settings.maxErrorBodyBytes()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            text = "";
        }
        Map<String, String> headers = new HashMap<>();
        String retryAfter = response.getHeaders().get(HttpHeader.RETRY_AFTER);
        if (retryAfter != null) {
            headers.put("retry-after", retryAfter);
        }
        return errors.fromResponse(response.getStatus(), headers, text, model);
    }
}
