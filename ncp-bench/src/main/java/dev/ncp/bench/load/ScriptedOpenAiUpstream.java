package dev.ncp.bench.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A fast, scripted OpenAI-compatible upstream for load runs: every {@code POST …/chat/completions} gets the same
 * streamed answer (a role chunk, {@code chunks} content chunks of text or of one tool call's arguments, a finish
 * chunk, a usage chunk and {@code [DONE]}), with {@code delayMillis} between content chunks. The frames are encoded
 * once, so serving one costs a write and a flush: the upstream should not be what a load run measures.
 *
 * <p>Two scripts by path: {@code /v1/…} is the fast script; {@code /slow/v1/…} is the slow one used for open
 * streams ({@code slowChunks} chunks {@code slowGapMillis} apart: silences the proxy must fill with pings).
 * {@code GET …/models} answers an empty list. JDK {@link HttpServer}, one virtual thread per exchange, loopback only.
 */
public final class ScriptedOpenAiUpstream implements AutoCloseable {

    /** What one script streams. */
    public record Script(int chunks, long delayMillis, boolean toolCall) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<byte[]> fastFrames;
    private final Script fast;
    private final List<byte[]> slowFrames;
    private final Script slow;

    public ScriptedOpenAiUpstream(Script fast, Script slow, int port) throws IOException {
        this.fast = fast;
        this.slow = slow;
        this.fastFrames = frames(fast);
        this.slowFrames = frames(slow);
        // Without TCP_NODELAY the headers and the first small frame meet Nagle and delayed ACKs: +40 ms per answer.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // Beyond 200 idle keep-alive connections (the default) the server closes the surplus under the clients' feet.
        System.setProperty("sun.net.httpserver.maxIdleConnections", "8192");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL ncp's {@code NVIDIA_BASE_URL} points at for the fast script. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public String slowBaseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/slow/v1";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
            String path = exchange.getRequestURI().getPath();
            if (path.endsWith("/models")) {
                byte[] body = "{\"object\":\"list\",\"data\":[]}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            if (!path.endsWith("/chat/completions")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            boolean isSlow = path.startsWith("/slow/");
            stream(exchange, isSlow ? slowFrames : fastFrames, isSlow ? slow.delayMillis() : fast.delayMillis());
        } catch (IOException e) {
            // The client (ncp or the load generator) went away mid-stream: nothing to do.
        }
    }

    private static void stream(HttpExchange exchange, List<byte[]> frames, long delayMillis) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        int last = frames.size() - 3; // finish, usage and [DONE] follow the content without delay
        for (int i = 0; i < frames.size(); i++) {
            if (delayMillis > 0 && i >= 1 && i <= last) {
                sleep(delayMillis);
            }
            out.write(frames.get(i));
            out.flush();
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The whole answer as SSE frames: role, content…, finish, usage, [DONE]. */
    static List<byte[]> frames(Script script) {
        List<String> data = new ArrayList<>();
        String head = "{\"id\":\"chatcmpl-load\",\"object\":\"chat.completion.chunk\",\"created\":1764070000,"
                + "\"model\":\"scripted\",\"choices\":[";
        String tail = "]}";
        data.add(head + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}" + tail);
        for (int i = 0; i < script.chunks(); i++) {
            String delta;
            if (!script.toolCall()) {
                delta = "{\"content\":\"word" + (i % 10) + " \"}";
            } else if (i == 0) {
                delta = "{\"tool_calls\":[{\"index\":0,\"id\":\"call_load1\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"Bash\",\"arguments\":\"{\\\"command\\\": \\\"\"}}]}";
            } else {
                String fragment = i == script.chunks() - 1 ? "done\\\"}" : "echo " + (i % 10) + "; ";
                delta = "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"" + fragment + "\"}}]}";
            }
            data.add(head + "{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":null}" + tail);
        }
        String finish = script.toolCall() ? "tool_calls" : "stop";
        data.add(head + "{\"index\":0,\"delta\":{},\"finish_reason\":\"" + finish + "\"}" + tail);
        data.add(head + "],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":" + script.chunks()
                + ",\"total_tokens\":" + (1000 + script.chunks()) + "}}");
        data.add("[DONE]");
        List<byte[]> frames = new ArrayList<>(data.size());
        for (String d : data) {
            frames.add(("data: " + d + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
        return List.copyOf(frames);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
