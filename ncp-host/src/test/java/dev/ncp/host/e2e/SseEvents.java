package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A streamed answer as a strict client reads it: frames of {@code event:}, {@code id:} and {@code data:} lines
 * ended by a blank line — anything else is a failure, as is a torn last frame.
 */
record SseEvents(List<SseEvents.Event> events) {

    record Event(String event, String id, JsonNode data) {
        String type() {
            return data.path("type").asText();
        }
    }

    static SseEvents parse(byte[] body) {
        return parse(new String(body, StandardCharsets.UTF_8));
    }

    static SseEvents parse(String text) {
        assertTrue(text.endsWith("\n\n"), () -> "the stream does not end with a whole frame: ..."
                + text.substring(Math.max(0, text.length() - 200)));
        var events = new ArrayList<Event>();
        for (String frame : text.split("\n\n")) {
            if (frame.equals(": keep-alive")) {
                continue; // ncp's keep-alive comment, which SSE parsers skip
            }
            String event = null;
            String id = null;
            String data = null;
            for (String line : frame.split("\n")) {
                if (line.startsWith("event: ") && event == null) {
                    event = line.substring(7);
                } else if (line.startsWith("id: ") && id == null) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ") && data == null) {
                    data = line.substring(6);
                } else {
                    fail("unexpected line in frame: " + line + "\nframe: " + frame);
                }
            }
            assertNotNull(event, "frame without event: " + frame);
            assertNotNull(data, "frame without data: " + frame);
            events.add(new Event(event, id, Wire.json(data)));
        }
        return new SseEvents(List.copyOf(events));
    }

    List<String> names() {
        return events.stream().map(Event::event).toList();
    }

    List<Event> content() {
        return events.stream().filter(e -> !e.event().equals("ping")).toList();
    }

    Event first(String name) {
        return events.stream().filter(e -> e.event().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " event in " + names()));
    }

    /**
     * Anthropic's grammar: message_start; then per block start, deltas, stop with indexes contiguous from 0 and
     * blocks not overlapping; then message_delta and message_stop last. Every frame's data type equals its event
     * name, ids count 1, 2, 3... on every frame, pings included. Returns the JSON each tool_use block's
     * partial_json deltas add up to, by block index.
     */
    Map<Integer, String> assertGrammar() {
        return assertGrammar(false);
    }

    /**
     * The grammar with {@code R2_MESSAGE_DELTA_EVERY_BLOCK}: as {@link #assertGrammar()}, but each content block's
     * stop is followed by a progress message_delta ({@code stop_reason: null}), outside any block.
     */
    Map<Integer, String> assertGrammarWithUsageSnapshots() {
        return assertGrammar(true);
    }

    private Map<Integer, String> assertGrammar(boolean usageSnapshots) {
        long nextId = 1;
        for (Event e : events) {
            assertEquals(e.event(), e.type(), "event name and data type differ: " + e);
            assertEquals(String.valueOf(nextId++), e.id(), "ids count up over the answer, pings included: " + e);
        }
        List<Event> c = content();
        assertTrue(c.size() >= 3, "too few events: " + names());
        assertEquals("message_start", c.get(0).event(), names().toString());
        assertEquals("message_stop", c.get(c.size() - 1).event(), names().toString());
        assertEquals("message_delta", c.get(c.size() - 2).event(), names().toString());
        var json = new HashMap<Integer, String>();
        int open = -1;
        int next = 0;
        String previous = "message_start";
        for (Event e : c.subList(1, c.size() - 2)) {
            int index = e.data().path("index").asInt(-1);
            switch (e.event()) {
                case "content_block_start" -> {
                    assertEquals(-1, open, "a block started while block " + open + " is open: " + names());
                    assertEquals(next, index, "block indexes are contiguous from 0");
                    open = index;
                    next++;
                    if (e.data().path("content_block").path("type").asText().equals("tool_use")) {
                        json.put(index, "");
                    }
                }
                case "content_block_delta" -> {
                    assertEquals(open, index, "a delta for a block that is not open: " + e);
                    JsonNode delta = e.data().path("delta");
                    if (delta.path("type").asText().equals("input_json_delta")) {
                        json.merge(index, delta.path("partial_json").asText(), String::concat);
                    }
                }
                case "content_block_stop" -> {
                    assertEquals(open, index, "a stop for a block that is not open: " + e);
                    open = -1;
                }
                case "message_delta" -> {
                    assertTrue(usageSnapshots, "a message_delta before the last block ended: " + names());
                    assertEquals("content_block_stop", previous, "a progress message_delta follows a block's stop");
                    assertTrue(e.data().path("delta").path("stop_reason").isNull(), "progress has no stop_reason: " + e);
                }
                default -> fail("unexpected event between message_start and message_delta: " + e);
            }
            if (usageSnapshots && previous.equals("content_block_stop")) {
                assertEquals("message_delta", e.event(), "every block's stop is followed by a progress message_delta");
            }
            previous = e.event();
        }
        if (usageSnapshots) {
            assertEquals("message_delta", c.get(c.size() - 3).event(), "the last block's progress: " + names());
        }
        assertEquals(-1, open, "block " + open + " was never stopped");
        return json;
    }
}
