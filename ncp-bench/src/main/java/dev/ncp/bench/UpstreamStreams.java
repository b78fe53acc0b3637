package dev.ncp.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ncp.host.anthropic.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Long upstream answers in the exact wire shape of the recorded NIM streams ({@code fixtures/upstream/*.sse}):
 * one {@code data:} event per chunk, the role chunk first, then the content chunks, a finish chunk, a usage chunk
 * with empty choices and {@code [DONE]}. The content is real text cut into token-sized pieces (about 5 characters).
 */
final class UpstreamStreams {

    /** A stream body and where each of its events ends, to feed it event by event as a live socket delivers it. */
    record Stream(byte[] body, int[] eventEnds, int contentChunks) {
    }

    private static final String HEAD = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1764070000,\"model\":\"";
    private static final int CHARS_PER_CHUNK = 5;

    private final ObjectMapper json;
    private final String model;

    UpstreamStreams(ObjectMapper json, String model) {
        this.json = json;
        this.model = model;
    }

    /** {@code chunks} text deltas of Claude Code's own system prompt (prose, markdown, quotes, newlines). */
    Stream text(int chunks) {
        var events = new ArrayList<String>();
        events.add(choice("{\"role\":\"assistant\",\"content\":\"\"}", null));
        for (String piece : slices(prose(chunks), chunks)) {
            events.add(choice("{\"content\":" + quoted(piece) + "}", null));
        }
        return finish(events, "stop", chunks);
    }

    /** Reasoning in {@code reasoning_content} for {@code thinking} chunks, then {@code text} content chunks. */
    Stream reasoningThenText(int thinking, int text) {
        var events = new ArrayList<String>();
        events.add(choice("{\"role\":\"assistant\",\"content\":\"\"}", null));
        List<String> pieces = slices(prose(thinking + text), thinking + text);
        for (int i = 0; i < pieces.size(); i++) {
            events.add(choice(i < thinking
                    ? "{\"reasoning_content\":" + quoted(pieces.get(i)) + ",\"content\":null}"
                    : "{\"content\":" + quoted(pieces.get(i)) + "}", null));
        }
        return finish(events, "stop", thinking + text);
    }

    /** One Write tool call whose arguments (a Java file) arrive in {@code fragments} pieces. */
    Stream toolCall(int fragments) {
        ObjectNode arguments = json.createObjectNode()
                .put("file_path", "/home/dev/project/src/main/java/dev/example/OrderService7.java")
                .put("content", SourceSamples.javaFile(7, fragments * CHARS_PER_CHUNK / 500 + 1));
        var events = new ArrayList<String>();
        events.add(choice("{\"role\":\"assistant\",\"content\":null}", null));
        events.add(choice("{\"tool_calls\":[{\"index\":0,\"id\":\"chatcmpl-tool-9f2c\",\"type\":\"function\","
                + "\"function\":{\"name\":\"Write\",\"arguments\":\"\"}}]}", null));
        for (String piece : slices(write(arguments), fragments)) {
            events.add(choice("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":" + quoted(piece)
                    + "}}]}", null));
        }
        return finish(events, "tool_calls", fragments);
    }

    private Stream finish(List<String> events, String finishReason, int contentChunks) {
        events.add(choice("{}", finishReason));
        events.add(HEAD + model + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":21874,\"completion_tokens\":"
                + contentChunks + ",\"total_tokens\":" + (21874 + contentChunks) + "}}");
        events.add("[DONE]");
        var body = new ByteArrayOutputStream();
        int[] ends = new int[events.size()];
        for (int i = 0; i < events.size(); i++) {
            body.writeBytes(("data: " + events.get(i) + "\n\n").getBytes(StandardCharsets.UTF_8));
            ends[i] = body.size();
        }
        return new Stream(body.toByteArray(), ends, contentChunks);
    }

    private String choice(String delta, String finishReason) {
        return HEAD + model + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,"
                + "\"finish_reason\":" + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}";
    }

    /** All of {@code text} cut into {@code count} pieces of nearly equal length, never inside a surrogate pair. */
    private static List<String> slices(String text, int count) {
        int length = text.length();
        if (length < count) {
            throw new IllegalArgumentException("not enough text for " + count + " chunks");
        }
        var pieces = new ArrayList<String>(count);
        int from = 0;
        for (int i = 1; i <= count; i++) {
            int to = i == count ? length : (int) ((long) i * length / count);
            if (to > from && to < length && Character.isHighSurrogate(text.charAt(to - 1))) {
                to++;
            }
            pieces.add(text.substring(from, Math.max(from, to)));
            from = Math.max(from, to);
        }
        return pieces;
    }

    /**
     * The first {@code chunks} pieces' worth of Claude Code's system prompt from the biggest recorded request:
     * realistic English and markdown.
     */
    private static String prose(int chunks) {
        var text = new StringBuilder();
        Fixtures.bodyTree(RequestBodies.CLAUDE_CODE_FIXTURE).get("system")
                .forEach(block -> text.append(block.get("text").asText()).append("\n\n"));
        int end = Math.min(text.length(), chunks * CHARS_PER_CHUNK);
        if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
            end++;
        }
        return text.substring(0, end);
    }

    private String quoted(String text) {
        return write(text);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
