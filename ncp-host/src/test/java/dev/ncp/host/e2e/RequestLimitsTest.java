package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.host.testing.ProxyHarness;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code MAX_REQUEST_BODY_MB}: a body over the limit gets Anthropic's 413 {@code request_too_large} with a request id
 * — when its Content-Length says so, before the body is sent at all; when it comes chunked, once the limit is
 * passed — and the upstream is never called.
 */
@Timeout(30)
class RequestLimitsTest {

    @Test
    void aBodyAnnouncedOverTheLimitIsRefusedBeforeItIsRead() throws IOException {
        try (var h = ProxyHarness.start(Map.of("MAX_REQUEST_BODY_MB", "1"));
             var socket = connect(h)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 52428800\r\n\r\n{\"model\":\"claude-opus-5-5\",").getBytes(StandardCharsets.US_ASCII));
            out.flush(); // 50 MB announced, a few bytes sent: the answer cannot wait for the rest

            String response = readResponse(socket.getInputStream());
            assertTooLarge(response);
            assertEquals(0, h.upstream().requests().size());
        }
    }

    @Test
    void aChunkedBodyIsCutOffAtTheLimit() throws Exception {
        try (var h = ProxyHarness.start(Map.of("MAX_REQUEST_BODY_MB", "1"));
             var socket = connect(h)) {
            OutputStream out = socket.getOutputStream();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    out.write(("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
                    for (int i = 0; i < 32; i++) { // 2 MB, twice the limit
                        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException serverStoppedReading) {
                    // expected once ncp has answered
                }
            });
            String response = readResponse(socket.getInputStream());
            assertTooLarge(response);
            assertEquals(0, h.upstream().requests().size());
            writer.interrupt();
        }
    }

    private static void assertTooLarge(String response) {
        assertTrue(response.startsWith("HTTP/1.1 413"), response);
        assertTrue(response.toLowerCase(java.util.Locale.ROOT).matches("(?s).*\r\nrequest-id: req_[0-9a-z]+\r\n.*"),
                response);
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        var json = Wire.json(body.substring(body.indexOf('{'), body.lastIndexOf('}') + 1));
        assertEquals("error", json.path("type").asText());
        assertEquals("request_too_large", json.path("error").path("type").asText());
        assertTrue(json.path("error").path("message").asText().contains("max 1 MB"), json.toString());
    }

    private static Socket connect(ProxyHarness h) throws IOException {
        URI base = URI.create(h.baseUrl());
        var socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Reads the status line, headers and the body (Content-Length or chunked, or up to the close). */
    private static String readResponse(InputStream in) throws IOException {
        var bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            bytes.write(buffer, 0, n);
            String text = bytes.toString(StandardCharsets.UTF_8);
            if (text.contains("\r\n\r\n") && text.trim().endsWith("}") || text.endsWith("0\r\n\r\n")) {
                break;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
