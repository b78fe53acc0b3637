package dev.ncp.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One soak request as a client makes it, and the judgement of what came back. A client may see a clean answer (the
 * one the upstream scripted: same text, same tool call, same reasoning) or a clean Anthropic error (status and
 * {@code {"type":"error","error":{…}}} with a {@code request-id}, or a stream that ends in an {@code error} event);
 * anything else — a reset connection, a stream without {@code message_stop}, a body of another shape, an answer
 * that differs from the upstream's — is {@link Verdict#BAD}, and fails the soak.
 */
final class SoakCall {

    enum Verdict { OK, CLEAN_ERROR, HANG_UP, BAD }

    /** What one request showed; {@code firstDeltaNanos} is -1 unless a streamed answer had content. */
    record Outcome(Verdict verdict, String detail, long firstDeltaNanos, String content, boolean replayed) {
    }

    /** What a request asks for: the upstream's script, streamed or whole, and whether the client hangs up. */
    record Shape(String script, boolean stream, boolean hangUp) {
    }

    /** Anthropic's error types (https://docs.anthropic.com/en/api/errors). */
    private static final Set<String> ERROR_TYPES = Set.of("invalid_request_error", "authentication_error",
            "permission_error", "not_found_error", "request_too_large", "rate_limit_error", "api_error",
            "overloaded_error", "timeout_error", "billing_error");
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** A whole answer's client gives up this soon: before ncp can answer, so it hangs up mid-request. */
    private static final Duration HANG_UP_TIMEOUT = Duration.ofMillis(20);

    private final HttpClient http;
    private final ObjectMapper json;
    private final URI messages;
    private final int chunks;

    SoakCall(HttpClient http, ObjectMapper json, String ncpBaseUrl, int chunks) {
        this.http = http;
        this.json = json;
        this.messages = URI.create(ncpBaseUrl + "/v1/messages");
        this.chunks = chunks;
    }

    static String body(Shape shape) {
        String nonce = Long.toHexString(ThreadLocalRandom.current().nextLong());
        StringBuilder b = new StringBuilder("{\"model\":\"claude-sonnet-4-5\",\"stream\":").append(shape.stream());
        if (shape.script().equals("thinking")) {
            b.append(",\"max_tokens\":4096,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}");
        } else {
            b.append(",\"max_tokens\":1024");
        }
        if (shape.script().equals("tool")) {
            b.append(",\"tools\":[{\"name\":\"Bash\",\"description\":\"Runs a shell command.\",\"input_schema\":"
                    + "{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"}},"
                    + "\"required\":[\"command\"]}}]");
        }
        return b.append(",\"messages\":[{\"role\":\"user\",\"content\":\"soak-script:").append(shape.script())
                .append(" (").append(nonce).append(") Go on.\"}]}").toString();
    }

    static String newIdempotencyKey() {
        return "soak-" + UUID.randomUUID();
    }

    Outcome run(Shape shape, String body, String idempotencyKey) {
        Outcome o = send(shape, body, idempotencyKey);
        if (o.verdict() != Verdict.BAD) {
            return o;
        }
        // Which request it was, so a bad answer can be reproduced.
        return bad(shape + (idempotencyKey == null ? "" : " key " + idempotencyKey) + ": " + o.detail());
    }

    private Outcome send(Shape shape, String body, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(messages)
                .timeout(shape.hangUp() && !shape.stream() ? HANG_UP_TIMEOUT : TIMEOUT)
                .header("content-type", "application/json")
                .header("anthropic-version", "2023-06-01")
                .header("x-api-key", "soak-run")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("anthropic-idempotency-key", idempotencyKey);
        }
        long start = System.nanoTime();
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            boolean replayed = response.headers().firstValue("x-ncp-idempotent-replay").isPresent();
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    return error(response, in.readAllBytes());
                }
                boolean sse = response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream");
                if (shape.stream() != sse) {
                    return bad("asked for stream=" + shape.stream() + ", got content-type "
                            + response.headers().firstValue("content-type").orElse("none"));
                }
                return shape.stream() ? stream(shape, in, start, replayed) : whole(shape, in.readAllBytes(), replayed);
            }
        } catch (HttpTimeoutException e) {
            return shape.hangUp() ? new Outcome(Verdict.HANG_UP, "hang-up", -1, null, false)
                    : bad("no answer within " + TIMEOUT);
        } catch (IOException e) {
            if (shape.hangUp() && !shape.stream()) {
                // The client's own timeout cut the connection, possibly just as the answer's head arrived, so the
                // JDK reports the body's stream closed rather than a timeout: still this client hanging up.
                return new Outcome(Verdict.HANG_UP, "hang-up seen as " + e.getMessage(), -1, null, false);
            }
            return bad(e + " after " + (System.nanoTime() - start) / 1_000_000 + " ms, at " + where(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return bad("interrupted");
        }
    }

    private Outcome error(HttpResponse<?> response, byte[] body) {
        String where = "HTTP " + response.statusCode();
        if (response.headers().firstValue("request-id").isEmpty()) {
            return bad(where + " without a request-id header");
        }
        try {
            JsonNode error = json.readTree(body);
            String type = error.path("error").path("type").asText("");
            if (!"error".equals(error.path("type").asText()) || !ERROR_TYPES.contains(type)
                    || error.path("error").path("message").asText("").isEmpty()) {
                return bad(where + " with a body that is not an Anthropic error: " + preview(body));
            }
            return new Outcome(Verdict.CLEAN_ERROR, response.statusCode() + " " + type, -1, null, false);
        } catch (IOException e) {
            return bad(where + " with a body that is not JSON: " + preview(body));
        }
    }

    /** Reads the SSE stream event by event; a hang-up shape closes it after the first content delta. */
    private Outcome stream(Shape shape, InputStream body, long start, boolean replayed) throws IOException {
        Answer answer = new Answer();
        long firstDelta = -1;
        String event = null;
        String last = null;
        BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 16 * 1024);
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("event: ")) {
                event = line.substring(7);
                continue;
            }
            if (!line.startsWith("data: ") || event == null) {
                continue;
            }
            if (last != null && (last.equals("message_stop") || last.equals("error"))) {
                return bad("event " + event + " after " + last);
            }
            if (last == null && !event.equals("message_start") && !event.equals("error")) {
                return bad("first event is " + event + ", not message_start");
            }
            JsonNode data = json.readTree(line.substring(6));
            if (!event.equals(data.path("type").asText())) {
                return bad("event " + event + " carries data of type " + data.path("type").asText());
            }
            switch (event) {
                case "content_block_start" -> answer.start(data.path("content_block"));
                case "content_block_delta" -> {
                    if (firstDelta < 0) {
                        firstDelta = System.nanoTime() - start;
                    }
                    answer.delta(data.path("delta"));
                    if (shape.hangUp()) {
                        return new Outcome(Verdict.HANG_UP, "hang-up", firstDelta, null, false);
                    }
                }
                case "message_delta" -> answer.stopReason = data.path("delta").path("stop_reason").asText(null);
                case "error" -> {
                    String type = data.path("error").path("type").asText("");
                    if (!ERROR_TYPES.contains(type) || data.path("error").path("message").asText("").isEmpty()) {
                        return bad("error event that is not Anthropic's: " + line);
                    }
                    answer.errorType = type;
                }
                default -> {
                    // message_start, ping, content_block_stop, message_stop: their order is checked above
                }
            }
            last = event;
        }
        if ("error".equals(last)) {
            return new Outcome(Verdict.CLEAN_ERROR, "stream " + answer.errorType(), firstDelta, null, replayed);
        }
        if (!"message_stop".equals(last)) {
            return bad("stream ended after " + last + " without message_stop or an error event");
        }
        String mismatch = answer.mismatch(shape.script(), chunks);
        return mismatch == null ? new Outcome(Verdict.OK, "ok", firstDelta, answer.content(), replayed)
                : bad("streamed answer differs from the upstream's: " + mismatch);
    }

    private Outcome whole(Shape shape, byte[] body, boolean replayed) throws IOException {
        JsonNode message = json.readTree(body);
        if (!"message".equals(message.path("type").asText()) || !message.path("content").isArray()) {
            return bad("200 with a body that is not a message: " + preview(body));
        }
        Answer answer = new Answer();
        for (JsonNode block : message.path("content")) {
            answer.start(block);
        }
        answer.stopReason = message.path("stop_reason").asText(null);
        String mismatch = answer.mismatch(shape.script(), chunks);
        return mismatch == null ? new Outcome(Verdict.OK, "ok", -1, answer.content(), replayed)
                : bad("whole answer differs from the upstream's: " + mismatch);
    }

    private static Outcome bad(String why) {
        return new Outcome(Verdict.BAD, why, -1, null, false);
    }

    /** The first frames of an exception and of its causes: which layer of the client saw what. */
    private static String where(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            StackTraceElement[] frames = t.getStackTrace();
            b.append(" [").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
            for (int i = 0; i < Math.min(4, frames.length); i++) {
                b.append(" < ").append(frames[i].getClassName().replaceAll(".*\\.", "")).append('.')
                        .append(frames[i].getMethodName());
            }
            b.append(']');
        }
        return b.toString();
    }

    private static String preview(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    /** The blocks of an answer as the client rebuilt them: text, thinking and the tool call's arguments. */
    private final class Answer {
        final StringBuilder text = new StringBuilder();
        final StringBuilder thinking = new StringBuilder();
        final StringBuilder toolInput = new StringBuilder();
        String toolName;
        String stopReason;
        String errorType = "";

        void start(JsonNode block) {
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText(""));
                case "thinking" -> thinking.append(block.path("thinking").asText(""));
                case "tool_use" -> {
                    toolName = block.path("name").asText();
                    JsonNode input = block.path("input");
                    if (input.isObject() && !input.isEmpty()) {
                        toolInput.append(input); // a whole answer: the input is complete
                    }
                }
                default -> {
                }
            }
        }

        void delta(JsonNode delta) {
            switch (delta.path("type").asText()) {
                case "text_delta" -> text.append(delta.path("text").asText());
                case "thinking_delta" -> thinking.append(delta.path("thinking").asText());
                case "input_json_delta" -> toolInput.append(delta.path("partial_json").asText());
                default -> {
                }
            }
        }

        String errorType() {
            return errorType;
        }

        String content() {
            return thinking + "|" + text + "|" + toolName + "|" + toolInput;
        }

        /** Null when the answer is the one the script streamed, else what differs. */
        String mismatch(String script, int chunks) {
            switch (script) {
                case "tool" -> {
                    if (!"Bash".equals(toolName)) {
                        return "tool " + toolName + " instead of Bash";
                    }
                    try {
                        String command = json.readTree(toolInput.toString()).path("command").asText(null);
                        if (!FaultyOpenAiUpstream.expectedCommand(chunks).equals(command)) {
                            return "command " + command;
                        }
                    } catch (IOException e) {
                        return "tool input is not JSON: " + toolInput;
                    }
                    return "tool_use".equals(stopReason) ? null : "stop_reason " + stopReason + " for a tool call";
                }
                case "thinking" -> {
                    if (!FaultyOpenAiUpstream.expectedReasoning(chunks).contentEquals(thinking)) {
                        return "thinking [" + thinking + "]";
                    }
                }
                default -> {
                }
            }
            if (!FaultyOpenAiUpstream.expectedText(script, chunks).contentEquals(text)) {
                return "text [" + text + "]";
            }
            return "end_turn".equals(stopReason) ? null : "stop_reason " + stopReason;
        }
    }
}
