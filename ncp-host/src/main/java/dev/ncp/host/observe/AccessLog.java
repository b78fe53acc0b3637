package dev.ncp.host.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.config.LogFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * One line per request, written to the SLF4J logger {@code ncp.access}: who, which model (requested → used), how
 * it went and how long it took. Plain {@code key=value} text by default, one JSON object with
 * {@code NCP_LOG_FORMAT=json}. No prompt or answer content, no credential, ever.
 */
public final class AccessLog {

    /** The logger name operators filter or route on. */
    public static final String LOGGER = "ncp.access";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LogFormat format;
    private final Consumer<String> out;

    /** @param out receives each finished line (tests pass a list's {@code add}) */
    public AccessLog(LogFormat format, Consumer<String> out) {
        this.format = format;
        this.out = out;
    }

    /** Lines go to the {@code ncp.access} logger at info level. */
    public static AccessLog toLogger(LogFormat format) {
        return new AccessLog(format, LoggerFactory.getLogger(LOGGER)::info);
    }

    public void record(RequestSummary s) {
        out.accept(format == LogFormat.JSON ? json(s) : plain(s));
    }

    /**
     * {@code req_... principal=local "POST /v1/messages" model=claude-opus-4-7->qwen/qwen3-coder upstream=default route=alias
     * status=200 outcome=ok stop=tool_use ttft_ms=12 duration_ms=40 tokens_in=5210 tokens_out=48}
     */
    static String plain(RequestSummary s) {
        return s.requestId() + " principal=" + token(s.principal()) + " \"" + s.method() + " " + s.path() + "\""
                + " model=" + token(s.requestedModel()) + "->" + token(s.model()) + " upstream=" + token(s.upstream())
                + " route=" + token(s.route())
                + " status=" + s.status() + " outcome=" + s.outcome() + " stop=" + token(s.stopReason())
                + " ttft_ms=" + (s.ttftMillis() == null ? "-" : s.ttftMillis()) + " duration_ms=" + s.durationMillis()
                + " tokens_in=" + s.inputTokens() + " tokens_out=" + s.outputTokens();
    }

    static String json(RequestSummary s) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("request_id", s.requestId());
        line.put("principal", s.principal());
        line.put("method", s.method());
        line.put("path", s.path());
        line.put("model_requested", nullIfUnknown(s.requestedModel()));
        line.put("model", nullIfUnknown(s.model()));
        line.put("upstream", nullIfUnknown(s.upstream()));
        line.put("route", nullIfUnknown(s.route()));
        line.put("status", s.status());
        line.put("outcome", s.outcome());
        line.put("stop_reason", nullIfUnknown(s.stopReason()));
        line.put("ttft_ms", s.ttftMillis());
        line.put("duration_ms", s.durationMillis());
        line.put("input_tokens", s.inputTokens());
        line.put("output_tokens", s.outputTokens());
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an access log line of strings and numbers always serializes", e);
        }
    }

    /** A value safe to put in a space-separated line: whitespace and quotes become '_'. */
    private static String token(String value) {
        return value == null || value.isEmpty() ? "-" : value.replaceAll("[\\s\"]", "_");
    }

    private static String nullIfUnknown(String value) {
        return value == null || value.equals("-") ? null : value;
    }
}
