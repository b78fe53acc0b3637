package dev.ncp.host.sse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Splits SSE bytes as a client does, for assertions: one {@link Frame} per blank-line-terminated event. */
record SseFrames(List<Frame> frames) {

    record Frame(String event, String id, String data) {
    }

    static SseFrames parse(byte[] sse) {
        String text = new String(sse, StandardCharsets.UTF_8);
        if (!text.isEmpty() && !text.endsWith("\n\n")) {
            throw new AssertionError("stream does not end with a complete frame: " + text);
        }
        var frames = new ArrayList<Frame>();
        for (String block : text.split("\n\n")) {
            if (block.isEmpty()) {
                continue;
            }
            String event = null;
            String id = null;
            String data = null;
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                } else {
                    throw new AssertionError("unexpected line: " + line);
                }
            }
            frames.add(new Frame(event, id, data));
        }
        return new SseFrames(frames);
    }

    List<String> events() {
        return frames.stream().map(Frame::event).toList();
    }
}
