package dev.ncp.bench.load;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak's OpenAI-compatible upstream: {@link ScriptedOpenAiUpstream}'s answers (the same pre-encoded frames),
 * chosen by a marker in the request ({@code soak-script:text}, {@code :tool}, {@code :thinking}), with an
 * {@link UpstreamFault} drawn for every chat request. It speaks HTTP/1.1 on a plain {@link ServerSocket} rather than
 * the JDK's {@code HttpServer} because a reset needs the socket itself (SO_LINGER 0), and because it counts its own
 * open connections: the figure that shows whether ncp's upstream client leaks them. Keep-alive, one virtual thread
 * per connection, loopback only.
 */
final class FaultyOpenAiUpstream implements AutoCloseable {

    /** Chunks sent before a reset or a truncation: the client has already seen content, so ncp cannot retry. */
    private static final int CHUNKS_BEFORE_FAULT = 5;

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, List<byte[]>> scripts;
    private final long delayMillis;
    private final double faultShare;
    private final long silentMillis;
    private final AtomicInteger openConnections = new AtomicInteger();
    private final Map<UpstreamFault, AtomicLong> served = new EnumMap<>(UpstreamFault.class);

    /**
     * @param chunks       content chunks per answer (thinking answers: half reasoning, half text)
     * @param delayMillis  pause between content chunks
     * @param faultShare   probability of each fault per chat request (0.01: 1 % each)
     * @param silentMillis how long a silent upstream holds a request before closing (ncp should give up sooner)
     */
    FaultyOpenAiUpstream(int chunks, long delayMillis, double faultShare, long silentMillis) throws IOException {
        this.delayMillis = delayMillis;
        this.faultShare = faultShare;
        this.silentMillis = silentMillis;
        this.scripts = Map.of(
                "text", ScriptedOpenAiUpstream.frames(new ScriptedOpenAiUpstream.Script(chunks, 0, false)),
                "tool", ScriptedOpenAiUpstream.frames(new ScriptedOpenAiUpstream.Script(chunks, 0, true)),
                "thinking", thinkingFrames(chunks));
        for (UpstreamFault f : UpstreamFault.values()) {
            served.put(f, new AtomicLong());
        }
        server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("soak-upstream-accept").start(this::accept);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/v1";
    }

    /** Connections open right now (accepted and not yet closed by either side). */
    int openConnections() {
        return openConnections.get();
    }

    /** How many chat requests got each fault so far. */
    Map<UpstreamFault, Long> served() {
        Map<UpstreamFault, Long> copy = new EnumMap<>(UpstreamFault.class);
        served.forEach((f, n) -> copy.put(f, n.get()));
        return copy;
    }

    /** The text a client should see of a thinking answer's reasoning, and of every answer's text. */
    static String expectedText(String script, int chunks) {
        StringBuilder text = new StringBuilder();
        int first = script.equals("thinking") ? chunks / 2 : 0;
        for (int i = first; i < chunks; i++) {
            text.append("word").append(i % 10).append(' ');
        }
        return text.toString();
    }

    static String expectedReasoning(int chunks) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < chunks / 2; i++) {
            text.append("thought").append(i % 10).append(' ');
        }
        return text.toString();
    }

    /** The Bash command of the tool script's call, as ScriptedOpenAiUpstream streams its arguments. */
    static String expectedCommand(int chunks) {
        StringBuilder command = new StringBuilder();
        for (int i = 1; i < chunks - 1; i++) {
            command.append("echo ").append(i % 10).append("; ");
        }
        return command.append("done").toString();
    }

    private static List<byte[]> thinkingFrames(int chunks) {
        String head = "{\"id\":\"chatcmpl-soak\",\"object\":\"chat.completion.chunk\",\"created\":1764070000,"
                + "\"model\":\"scripted\",\"choices\":[";
        List<String> data = new ArrayList<>();
        data.add(head + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");
        for (int i = 0; i < chunks; i++) {
            String delta = i < chunks / 2
                    ? "{\"reasoning_content\":\"thought" + (i % 10) + " \"}"
                    : "{\"content\":\"word" + (i % 10) + " \"}";
            data.add(head + "{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":null}]}");
        }
        data.add(head + "{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
        data.add(head + "],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":" + chunks
                + ",\"total_tokens\":" + (1000 + chunks) + "}}");
        data.add("[DONE]");
        return data.stream().map(d -> ("data: " + d + "\n\n").getBytes(StandardCharsets.UTF_8)).toList();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                openConnections.incrementAndGet();
                threads.submit(() -> serve(socket));
            } catch (IOException e) {
                // closed: the run is over
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            OutputStream out = socket.getOutputStream();
            Request request;
            while ((request = Request.read(in)) != null) {
                if (!answer(request, socket, in, out)) {
                    return;
                }
            }
        } catch (IOException e) {
            // ncp closed or reset the connection (a client of its hung up, a deadline passed): nothing to do
        } finally {
            openConnections.decrementAndGet();
        }
    }

    /** Answers one request; false when the connection must not be used again. */
    private boolean answer(Request request, Socket socket, InputStream in, OutputStream out) throws IOException {
        if (request.path().endsWith("/models")) {
            whole(out, 200, "{\"object\":\"list\",\"data\":[]}", "");
            return true;
        }
        if (!request.path().endsWith("/chat/completions")) {
            whole(out, 404, "{\"error\":{\"message\":\"no such path\",\"type\":\"invalid_request_error\"}}", "");
            return true;
        }
        UpstreamFault fault = UpstreamFault.draw(faultShare);
        served.get(fault).incrementAndGet();
        List<byte[]> frames = scripts.get(request.script());
        switch (fault) {
            case SERVER_ERROR -> whole(out, 503,
                    "{\"error\":{\"message\":\"scripted overload\",\"type\":\"server_error\"}}", "");
            case RATE_LIMITED -> whole(out, 429,
                    "{\"error\":{\"message\":\"scripted rate limit\",\"type\":\"rate_limit_exceeded\"}}",
                    "Retry-After: 1\r\n");
            case SILENT -> {
                // Hold the request until ncp closes the connection or the silence is over, reading nothing.
                socket.setSoTimeout((int) silentMillis);
                try {
                    while (in.read() >= 0) {
                        // ncp sends nothing more on this connection until it has an answer
                    }
                } catch (SocketTimeoutException over) {
                    // ncp waited longer than the silence: close, and let it see the connection go
                }
                return false;
            }
            case RESET_MID_STREAM -> {
                stream(out, frames, CHUNKS_BEFORE_FAULT + 1);
                socket.setSoLinger(true, 0);
                return false;
            }
            case TRUNCATED -> {
                stream(out, frames, CHUNKS_BEFORE_FAULT + 1);
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            case NONE -> {
                stream(out, frames, frames.size());
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }
        return true;
    }

    /** The head and the first {@code count} frames, each one HTTP chunk, flushed one by one. */
    private void stream(OutputStream out, List<byte[]> frames, int count) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        int last = frames.size() - 3; // finish, usage and [DONE] follow the content without delay
        for (int i = 0; i < Math.min(count, frames.size()); i++) {
            if (delayMillis > 0 && i >= 1 && i <= last) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            byte[] frame = frames.get(i);
            out.write((Integer.toHexString(frame.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(frame);
            out.write('\r');
            out.write('\n');
            out.flush();
        }
    }

    private static void whole(OutputStream out, int status, String json, String extraHeaders) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " Scripted\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n" + extraHeaders + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** One request: its path, and which script its body asks for. */
    private record Request(String path, String script) {

        /** The next request on the connection, or null at its end. */
        static Request read(InputStream in) throws IOException {
            String requestLine = line(in);
            if (requestLine == null) {
                return null;
            }
            long length = 0;
            boolean chunked = false;
            String header;
            while ((header = line(in)) != null && !header.isEmpty()) {
                String h = header.toLowerCase(Locale.ROOT);
                if (h.startsWith("content-length:")) {
                    length = Long.parseLong(h.substring(15).trim());
                } else if (h.startsWith("transfer-encoding:") && h.contains("chunked")) {
                    chunked = true;
                }
            }
            byte[] body = chunked ? chunkedBody(in) : in.readNBytes((int) length);
            String[] parts = requestLine.split(" ");
            String path = parts.length > 1 ? parts[1] : "/";
            String text = new String(body, StandardCharsets.UTF_8);
            String script = text.contains("soak-script:tool") ? "tool"
                    : text.contains("soak-script:thinking") ? "thinking" : "text";
            return new Request(path, script);
        }

        private static byte[] chunkedBody(InputStream in) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = line(in);
                if (size == null) {
                    throw new IOException("connection closed in a chunked body");
                }
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    while (!line(in).isEmpty()) {
                        // trailers
                    }
                    return body.toByteArray();
                }
                body.write(in.readNBytes(n));
                line(in);
            }
        }

        /** One CRLF-terminated line without its terminator; null at the end of the stream before any byte. */
        private static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                line.append((char) b);
            }
            return line.isEmpty() ? null : line.toString();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
