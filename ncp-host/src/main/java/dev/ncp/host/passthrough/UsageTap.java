package dev.ncp.host.passthrough;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.stream.StopReason;
import dev.ncp.api.stream.Usage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * Reads the token usage out of a passed-through answer on its way to the client, for the access log and metrics:
 * an event stream's {@code message_start} and {@code message_delta} lines, or a whole message's {@code usage}.
 * A copy of the client's bytes; it only looks, and bounds what it keeps (one SSE line, or a whole message up to
 * {@link #MAX_KEPT} bytes — beyond that the usage is not known, never the answer cut).
 */
final class UsageTap extends OutputStream {

    private static final int MAX_KEPT = 1024 * 1024;

    private final ObjectMapper json;
    private final boolean eventStream;
    private final BiConsumer<Usage, StopReason> report;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private boolean overflowed;
    private Usage usage = Usage.ZERO;

    UsageTap(ObjectMapper json, boolean eventStream, BiConsumer<Usage, StopReason> report) {
        this.json = json;
        this.eventStream = eventStream;
        this.report = report;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (eventStream && b[i] == '\n') {
                line(kept.toString(StandardCharsets.UTF_8));
                kept.reset();
                overflowed = false;
            } else if (kept.size() < MAX_KEPT) {
                kept.write(b[i]);
            } else {
                overflowed = true;
            }
        }
    }

    /** The answer is complete: a whole message's usage is read now. */
    @Override
    public void close() {
        if (!eventStream && !overflowed) {
            JsonNode message = parse(kept.toString(StandardCharsets.UTF_8));
            if (message != null) {
                usage = merge(usage, message.path("usage"));
                report.accept(usage, stopReason(message.path("stop_reason")));
            }
        }
    }

    private void line(String line) {
        if (overflowed || !line.startsWith("data:") || !line.contains("\"usage\"")) {
            return;
        }
        JsonNode event = parse(line.substring(5));
        if (event == null) {
            return;
        }
        switch (event.path("type").asText()) {
            case "message_start" -> {
                usage = merge(usage, event.path("message").path("usage"));
                report.accept(usage, null);
            }
            case "message_delta" -> {
                usage = merge(usage, event.path("usage"));
                report.accept(usage, stopReason(event.path("delta").path("stop_reason")));
            }
            default -> { }
        }
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            return null; // not ours to judge; the client got the bytes as they were
        }
    }

    /** Anthropic's usage counts are cumulative; a field a later event leaves out keeps its earlier value. */
    private static Usage merge(Usage u, JsonNode n) {
        return new Usage(n.path("input_tokens").asInt(u.inputTokens()), n.path("output_tokens").asInt(u.outputTokens()),
                n.path("cache_read_input_tokens").asInt(u.cacheReadInputTokens()),
                n.path("cache_creation_input_tokens").asInt(u.cacheCreationInputTokens()));
    }

    private static StopReason stopReason(JsonNode n) {
        if (!n.isTextual()) {
            return null;
        }
        try {
            return StopReason.valueOf(n.asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }
}
