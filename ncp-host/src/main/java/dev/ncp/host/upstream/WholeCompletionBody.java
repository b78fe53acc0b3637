package dev.ncp.host.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The body of an upstream that ignored {@code stream: true} and answered with one whole {@code chat.completion}
 * ({@code Content-Type: application/json}; some gateways and self-hosted servers do), read as the stream it stands
 * for: a chunk with the message as its delta (tool calls given their index), a chunk with the finish reason, a
 * chunk with the usage, then {@code [DONE]}. The rest of the path (decoder, translator, processors, the SSE or JSON
 * answer) is the one every streamed answer takes, so the client cannot tell.
 *
 * <p>The whole body is read at the first read, on the pump's thread (so its deadlines apply), up to
 * {@link #MAX_BYTES}. A body that is not a JSON object is handed on as it came: a stream merely labelled JSON still
 * works.
 */
final class WholeCompletionBody extends InputStream {

    /** A whole answer is held in memory to be converted: far beyond any max_tokens, small beside the heap. */
    static final int MAX_BYTES = 32 * 1024 * 1024;

    private final InputStream source;
    private final ObjectMapper json;
    private InputStream converted;

    WholeCompletionBody(InputStream source, ObjectMapper json) {
        this.source = source;
        this.json = json;
    }

    /** Whether a 2xx answer with this content type is a whole completion rather than an event stream. */
    static boolean isWhole(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        return type.equals("application/json") || type.endsWith("+json");
    }

    private InputStream converted() throws IOException {
        if (converted == null) {
            byte[] body = source.readNBytes(MAX_BYTES + 1);
            if (body.length > MAX_BYTES) {
                throw new IOException("the upstream's whole (non-streamed) answer is larger than " + MAX_BYTES
                        + " bytes");
            }
            converted = new ByteArrayInputStream(asStream(body));
        }
        return converted;
    }

    private byte[] asStream(byte[] body) {
        JsonNode whole;
        try {
            whole = json.readTree(body);
        } catch (IOException notJson) {
            return body; // an event stream with the wrong label: the decoder reads it as one
        }
        if (whole == null || !whole.isObject()) {
            return body;
        }
        var out = new ByteArrayOutputStream(body.length + 256);
        if (!whole.has("choices")) { // e.g. {"error": {...}} with a 200: the translator reports it as it would mid-stream
            event(out, whole);
            return done(out);
        }
        ObjectNode head = json.createObjectNode();
        copy(whole, head, "id", "created", "model", "system_fingerprint");
        head.put("object", "chat.completion.chunk");
        ArrayNode contents = json.createArrayNode();
        ArrayNode finishes = json.createArrayNode();
        for (JsonNode choice : whole.path("choices")) {
            int index = choice.path("index").asInt(0);
            ObjectNode delta = choice.path("message").isObject()
                    ? ((ObjectNode) choice.get("message")).deepCopy() : json.createObjectNode();
            indexToolCalls(delta);
            contents.addObject().put("index", index).set("delta", delta);
            ObjectNode finish = finishes.addObject().put("index", index);
            finish.putObject("delta");
            finish.set("finish_reason", choice.path("finish_reason").isMissingNode()
                    ? json.nullNode() : choice.get("finish_reason"));
        }
        event(out, head.deepCopy().set("choices", contents));
        event(out, head.deepCopy().set("choices", finishes));
        if (whole.hasNonNull("usage")) {
            ObjectNode usage = head.deepCopy();
            usage.putArray("choices");
            usage.set("usage", whole.get("usage"));
            event(out, usage);
        }
        return done(out);
    }

    /** A whole message's tool calls have no {@code index}; a streamed delta's must. */
    private static void indexToolCalls(ObjectNode delta) {
        if (delta.get("tool_calls") instanceof ArrayNode calls) {
            int i = 0;
            for (JsonNode call : calls) {
                if (call instanceof ObjectNode c && !c.has("index")) {
                    c.put("index", i);
                }
                i++;
            }
        }
    }

    private static void copy(JsonNode from, ObjectNode to, String... names) {
        for (String name : names) {
            if (from.has(name)) {
                to.set(name, from.get(name));
            }
        }
    }

    private void event(ByteArrayOutputStream out, JsonNode chunk) {
        try {
            out.write("data: ".getBytes(StandardCharsets.US_ASCII));
            out.write(json.writeValueAsBytes(chunk));
            out.write("\n\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory", e);
        }
    }

    private static byte[] done(ByteArrayOutputStream out) {
        out.writeBytes("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Override
    public int read() throws IOException {
        return converted().read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return converted().read(b, off, len);
    }

    @Override
    public int available() throws IOException {
        return converted == null ? 0 : converted.available();
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
