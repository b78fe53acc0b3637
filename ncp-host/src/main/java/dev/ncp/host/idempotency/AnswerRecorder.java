package dev.ncp.host.idempotency;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Records one answer for idempotent replay: a copy of the streamed bytes (attached through {@code AnswerTaps}), or
 * the result body of a non-streamed answer. Memory is bounded: past {@code maxBytes} the recorder drops what it has
 * and the answer is simply not stored (the client still gets all of it).
 */
public final class AnswerRecorder extends OutputStream {

    /** Headers a replay repeats; everything else (request id, rate-limit counts) belongs to the new request. */
    private static final List<String> REPLAYED_HEADERS = List.of("Content-Type", "Cache-Control", "x-ncp-model",
            "x-ncp-route");

    private final int maxBytes;
    private ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
    private boolean overflowed;

    public AnswerRecorder(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (overflowed) {
            return;
        }
        if (bytes.size() + (long) len > maxBytes) {
            overflowed = true;
            bytes = null;
            return;
        }
        bytes.write(b, off, len);
    }

    boolean overflowed() {
        return overflowed;
    }

    /**
     * The answer the handler just gave, if it is a whole success worth replaying: status 200, within the size cap,
     * and — for a stream — ended by {@code message_stop} without an error event. A client that left mid-stream, an
     * upstream failure or an error event all give empty, so the key is released for a retry.
     */
    Optional<RecordedAnswer> completedAnswer(Context ctx) {
        if (ctx.statusCode() != 200 || overflowed) {
            return Optional.empty();
        }
        byte[] body = bytes.size() > 0 ? recordedBytes() : resultBody(ctx);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : REPLAYED_HEADERS) {
            String value = ctx.res().getHeader(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return completed(headers, body);
    }

    /** The bytes written to this recorder so far (the copy of a streamed answer). */
    public byte[] recordedBytes() {
        return bytes.toByteArray();
    }

    /** {@code body} as a 200 answer with {@code headers}, when it is worth replaying (see {@link #completedAnswer}). */
    public Optional<RecordedAnswer> completed(Map<String, String> headers, byte[] body) {
        if (body == null || body.length == 0 || overflowed) {
            return Optional.empty();
        }
        String contentType = headers.getOrDefault("Content-Type", "");
        if (contentType.startsWith("text/event-stream") && !isWholeStream(body)) {
            return Optional.empty();
        }
        return Optional.of(new RecordedAnswer(200, headers, body));
    }

    /** Reads the handler's result and puts it back, as Javalin writes it only after the handlers ran. */
    private byte[] resultBody(Context ctx) {
        InputStream result = ctx.resultInputStream();
        if (result == null) {
            return null;
        }
        try {
            byte[] body = result.readNBytes(maxBytes + 1);
            byte[] rest = result.readAllBytes();
            byte[] whole = rest.length == 0 ? body : concat(body, rest);
            ctx.result(whole);
            if (whole.length > maxBytes) {
                overflowed = true;
                return null;
            }
            return whole;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * An SSE answer is whole when it has a {@code message_stop} event and no {@code error} event. Event names sit at
     * the start of a line; JSON data lines escape their newlines, so the text of a delta cannot fake one.
     */
    static boolean isWholeStream(byte[] sse) {
        return hasEvent(sse, "message_stop") && !hasEvent(sse, "error");
    }

    private static boolean hasEvent(byte[] sse, String name) {
        byte[] line = ("event: " + name).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + line.length <= sse.length; i++) {
            if ((i == 0 || sse[i - 1] == '\n') && regionMatches(sse, i, line)) {
                int end = i + line.length;
                if (end == sse.length || sse[end] == '\n' || sse[end] == '\r') {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean regionMatches(byte[] data, int offset, byte[] expected) {
        for (int j = 0; j < expected.length; j++) {
            if (data[offset + j] != expected[j]) {
                return false;
            }
        }
        return true;
    }
}
