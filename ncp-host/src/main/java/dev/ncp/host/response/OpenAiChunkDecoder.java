package dev.ncp.host.response;

import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Incremental parser of an OpenAI-compatible SSE body into {@link ChatChunk}s. Fed byte slices exactly as the socket
 * delivers them: a boundary may fall anywhere, inside a UTF-8 character or between {@code \r} and {@code \n}.
 *
 * <p>It works on bytes and decodes nothing until an event is complete (Jackson reads the UTF-8 itself), so a split
 * character can never be mangled. Lines end with {@code \n}, {@code \r\n} or {@code \r} (the SSE spec allows all
 * three); comment lines ({@code :...}) and fields other than {@code data} are ignored; several {@code data} lines
 * of one event are joined with {@code \n}. {@code data: [DONE]} ends the stream.
 *
 * <p>A {@code data} payload that is not valid JSON throws {@link UpstreamDecodeException} rather than being
 * skipped: we cannot prove a broken chunk carried no content, and dropping one fragment of a tool call's arguments
 * would hand the client corrupt JSON that looks whole. Memory is bounded: only the current line and the current
 * event are held, and an event over {@code maxEventBytes} is an error.
 */
public final class OpenAiChunkDecoder {

    /** Receives what the decoder finds, in stream order. */
    public interface Listener {
        void onChunk(ChatChunk chunk);

        /** {@code data: [DONE]}: the upstream finished the stream. */
        void onDone();
    }

    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NEWLINE = {'\n'};

    private final ObjectReader chunkReader;
    private final int maxEventBytes;
    private byte[] line = new byte[256];
    private int lineLength;
    private byte[] data = new byte[1024];
    private int dataLength;
    private boolean dataPresent;
    private boolean lastWasCr;
    private boolean done;

    /** @param chunkReader a reader for {@link ChatChunk} from the shared mapper ({@link UpstreamJson#chunkReader}) */
    public OpenAiChunkDecoder(ObjectReader chunkReader, int maxEventBytes) {
        this.chunkReader = chunkReader;
        this.maxEventBytes = maxEventBytes;
    }

    /** Whether {@code [DONE]} was seen; everything after it is ignored. */
    public boolean done() {
        return done;
    }

    public void feed(byte[] bytes, int offset, int length, Listener listener) {
        int i = offset;
        int end = offset + length;
        while (i < end && !done) {
            if (lastWasCr) {
                lastWasCr = false;
                if (bytes[i] == '\n') {
                    i++;
                    continue; // the second half of a \r\n whose \r ended the line already
                }
            }
            // Copy up to the line's end in one go: a chunk's ~200 bytes, rather than byte by byte.
            int lineEnd = i;
            while (lineEnd < end && bytes[lineEnd] != '\r' && bytes[lineEnd] != '\n') {
                lineEnd++;
            }
            appendToLine(bytes, i, lineEnd - i);
            if (lineEnd == end) {
                return;
            }
            lastWasCr = bytes[lineEnd] == '\r';
            endOfLine(listener);
            i = lineEnd + 1;
        }
    }

    /**
     * The body ended. A last event that lacks its blank line is still delivered if it parses; one that does not
     * parse was cut off mid-way and is dropped — the stream's missing finish tells the caller it was truncated.
     */
    public void endOfInput(Listener listener) {
        if (done) {
            return;
        }
        if (lineLength > 0) {
            endOfLine(listener);
        }
        if (dataPresent) {
            try {
                dispatch(listener);
            } catch (UpstreamDecodeException truncated) {
                dataPresent = false;
            }
        }
    }

    private void endOfLine(Listener listener) {
        if (lineLength == 0) {
            dispatch(listener);
        } else if (line[0] != ':') {
            readField();
        }
        lineLength = 0;
    }

    private void readField() {
        int colon = indexOf(line, lineLength, (byte) ':');
        int nameEnd = colon < 0 ? lineLength : colon;
        if (!Arrays.equals(line, 0, nameEnd, DATA, 0, DATA.length)) {
            return; // event:, id:, retry: carry nothing we use
        }
        int valueStart = colon < 0 ? lineLength : colon + 1;
        if (valueStart < lineLength && line[valueStart] == ' ') {
            valueStart++;
        }
        if (dataPresent) {
            appendToData(NEWLINE, 0, 1);
        }
        dataPresent = true;
        appendToData(line, valueStart, lineLength - valueStart);
    }

    private void dispatch(Listener listener) {
        if (!dataPresent) {
            return;
        }
        dataPresent = false;
        int length = dataLength;
        dataLength = 0;
        if (isBlank(data, length)) {
            return; // an empty keep-alive event
        }
        if (Arrays.equals(data, 0, length, DONE, 0, DONE.length)) {
            done = true;
            listener.onDone();
            return;
        }
        ChatChunk chunk;
        try {
            chunk = chunkReader.readValue(data, 0, length);
        } catch (IOException e) {
            String head = new String(data, 0, Math.min(length, 200), StandardCharsets.UTF_8);
            throw new UpstreamDecodeException("upstream sent a chunk that is not valid JSON: " + head, e);
        }
        listener.onChunk(chunk);
    }

    private void appendToLine(byte[] bytes, int from, int count) {
        while (lineLength + count > line.length) {
            checkLimit(line.length + dataLength);
            line = Arrays.copyOf(line, line.length * 2);
        }
        System.arraycopy(bytes, from, line, lineLength, count);
        lineLength += count;
    }

    private void appendToData(byte[] bytes, int from, int count) {
        while (dataLength + count > data.length) {
            checkLimit(lineLength + data.length);
            data = Arrays.copyOf(data, data.length * 2);
        }
        System.arraycopy(bytes, from, data, dataLength, count);
        dataLength += count;
    }

    private void checkLimit(int size) {
        if (size >= maxEventBytes) {
            throw new UpstreamDecodeException("upstream sent an event larger than " + maxEventBytes + " bytes");
        }
    }

    private static int indexOf(byte[] bytes, int length, byte b) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isBlank(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\n') {
                return false;
            }
        }
        return true;
    }
}
