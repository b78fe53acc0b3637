package dev.ncp.host.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for requests no well-behaved client sends: a foreign Host, CR/LF inside a header,
 * invalid bytes, bodies that never finish. Each request asks for {@code Connection: close}, and the answer is read
 * up to the close (or the timeout).
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** A status code and the text after the header block. */
    public record Answer(int status, String head, String body) {
        public boolean closedWithoutAnswer() {
            return status == 0;
        }
    }

    public static Socket connect(String baseUrl, int readTimeoutMs) throws IOException {
        URI base = URI.create(baseUrl);
        var socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(readTimeoutMs);
        return socket;
    }

    /** Sends {@code head} (request line and headers, without the blank line) and {@code body}, reads the answer. */
    public static Answer exchange(String baseUrl, String head, byte[] body) throws IOException {
        try (Socket socket = connect(baseUrl, 10_000)) {
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /** The head of a JSON {@code POST /v1/messages} announcing {@code contentLength} body bytes, kept alive. */
    public static byte[] messagesPostHead(String baseUrl, long contentLength) {
        return ("POST /v1/messages HTTP/1.1\r\nHost: " + authority(baseUrl) + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + contentLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    public static String authority(String baseUrl) {
        return URI.create(baseUrl).getAuthority();
    }

    public static Answer read(InputStream in) throws IOException {
        var bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                bytes.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // what came is the answer
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        if (!text.startsWith("HTTP/1.1 ")) {
            return new Answer(0, "", text);
        }
        int split = text.indexOf("\r\n\r\n");
        String head = split < 0 ? text : text.substring(0, split);
        String body = split < 0 ? "" : text.substring(split + 4);
        return new Answer(Integer.parseInt(text.substring(9, 12)), head, body);
    }
}
