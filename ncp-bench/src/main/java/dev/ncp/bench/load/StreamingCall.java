package dev.ncp.bench.load;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One streamed request and what the client saw of it: time to the first content delta, time to the end of the
 * stream, the number of content deltas, and whether it completed (status 200 and the protocol's terminator:
 * {@code message_stop} for Anthropic, {@code [DONE]} for OpenAI, with no {@code error} event).
 */
final class StreamingCall {

    enum Protocol { ANTHROPIC, OPENAI }

    /** Where and what to send: ncp (Anthropic Messages) or the upstream directly (OpenAI chat completions). */
    record Target(String name, Protocol protocol, URI uri, byte[] body) {

        static Target anthropic(String name, String baseUrl, byte[] body) {
            return new Target(name, Protocol.ANTHROPIC, URI.create(baseUrl + "/v1/messages"), body);
        }

        static Target openAi(String name, String upstreamBaseUrl, byte[] body) {
            return new Target(name, Protocol.OPENAI, URI.create(upstreamBaseUrl + "/chat/completions"), body);
        }
    }

    /**
     * @param eventNanos when {@code keepEventTimes}: the arrival time of every SSE event (pings included),
     *                   relative to the request's start; else empty
     */
    record Outcome(boolean ok, String error, long firstDeltaNanos, long totalNanos, int deltas, int pings,
                   List<Long> eventNanos) {
    }

    private StreamingCall() {
    }

    static Outcome run(HttpClient http, Target target, boolean keepEventTimes, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.uri())
                .timeout(timeout)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(target.body()));
        if (target.protocol() == Protocol.ANTHROPIC) {
            request.header("anthropic-version", "2023-06-01").header("x-api-key", "load-run");
        }
        long start = System.nanoTime();
        long firstDelta = -1;
        int deltas = 0;
        int pings = 0;
        int dataLines = 0;
        boolean terminated = false;
        String error = null;
        List<Long> events = keepEventTimes ? new ArrayList<>() : List.of();
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(response.body(), StandardCharsets.UTF_8), 16 * 1024)) {
                if (response.statusCode() != 200) {
                    String body = String.join("\n", in.lines().limit(5).toList());
                    return failed("HTTP " + response.statusCode() + ": " + body, start);
                }
                String line;
                while ((line = in.readLine()) != null) {
                    if (target.protocol() == Protocol.ANTHROPIC) {
                        if (!line.startsWith("event: ")) {
                            continue;
                        }
                        long now = System.nanoTime();
                        if (keepEventTimes) {
                            events.add(now - start);
                        }
                        switch (line.substring(7)) {
                            case "content_block_delta" -> {
                                if (deltas++ == 0) {
                                    firstDelta = now - start;
                                }
                            }
                            case "ping" -> pings++;
                            case "message_stop" -> terminated = true;
                            case "error" -> error = "error event";
                            default -> { }
                        }
                    } else if (line.startsWith("data: ")) {
                        long now = System.nanoTime();
                        if (line.equals("data: [DONE]")) {
                            terminated = true;
                        } else if (dataLines++ > 0 && line.contains("\"delta\":{\"")) {
                            // the first data line is the role chunk; content and tool-call chunks follow
                            if (deltas++ == 0) {
                                firstDelta = now - start;
                            }
                        }
                    }
                }
            }
        } catch (Exception e) {
            return failed(e.getClass().getSimpleName() + ": " + e.getMessage(), start);
        }
        long total = System.nanoTime() - start;
        if (error == null && !terminated) {
            error = "stream ended without its terminator";
        } else if (error == null && deltas == 0) {
            error = "no content delta";
        }
        return new Outcome(error == null, error, firstDelta, total, deltas, pings, events);
    }

    private static Outcome failed(String error, long start) {
        return new Outcome(false, error, -1, System.nanoTime() - start, 0, 0, List.of());
    }
}
