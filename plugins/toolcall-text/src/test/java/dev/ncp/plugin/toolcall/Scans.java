package dev.ncp.plugin.toolcall;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs a scanner over text pieces and records what came out, adjacent text merged. */
final class Scans {

    sealed interface Segment permits Text, Call {
    }

    record Text(String text) implements Segment {
    }

    record Call(String tool, String id, String input) implements Segment {
    }

    /** What came out, and the pieces the calls' input arrived in. */
    record Result(List<Segment> segments, List<List<String>> inputPieces) {
    }

    static final Map<String, Object> STRING = Map.of("type", "string");

    static ToolCatalog tools(String... names) {
        var map = new java.util.LinkedHashMap<String, Map<String, Object>>();
        for (String n : names) {
            map.put(n, Map.of("type", "object", "properties", Map.of()));
        }
        return new ToolCatalog(map);
    }

    static Result scan(ToolCallSyntax syntax, ToolCatalog tools, List<String> pieces) {
        var segments = new ArrayList<Segment>();
        var inputs = new ArrayList<List<String>>();
        var scanner = new TextToolCallScanner(syntax, tools);
        TextToolCallScanner.Output out = new TextToolCallScanner.Output() {
            @Override
            public void text(String text) {
                if (text.isEmpty()) {
                    return;
                }
                if (!segments.isEmpty() && segments.get(segments.size() - 1) instanceof Text t) {
                    segments.set(segments.size() - 1, new Text(t.text() + text));
                } else {
                    segments.add(new Text(text));
                }
            }

            @Override
            public void callStart(String tool, String upstreamId) {
                segments.add(new Call(tool, upstreamId, ""));
                inputs.add(new ArrayList<>());
            }

            @Override
            public void callInput(String json) {
                Call open = (Call) segments.get(segments.size() - 1);
                segments.set(segments.size() - 1, new Call(open.tool(), open.id(), open.input() + json));
                inputs.get(inputs.size() - 1).add(json);
            }

            @Override
            public void callEnd() {
                inputs.set(inputs.size() - 1, List.copyOf(inputs.get(inputs.size() - 1)));
            }
        };
        pieces.forEach(p -> scanner.feed(p, out));
        scanner.finish(out);
        return new Result(List.copyOf(segments), List.copyOf(inputs));
    }

    static Result whole(ToolCallSyntax syntax, ToolCatalog tools, String text) {
        return scan(syntax, tools, List.of(text));
    }

    /** Every split into two pieces, and one character at a time, must give {@code expected}. */
    static void assertSplitInvariant(ToolCallSyntax syntax, ToolCatalog tools, String text, List<Segment> expected) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, whole(syntax, tools, text).segments(), "whole");
        for (int i = 1; i < text.length(); i++) {
            List<Segment> got = scan(syntax, tools, List.of(text.substring(0, i), text.substring(i))).segments();
            int at = i;
            org.junit.jupiter.api.Assertions.assertEquals(expected, got,
                    () -> "split at " + at + ": [" + text.substring(0, at) + "|" + text.substring(at) + "]");
        }
        var chars = text.codePoints().mapToObj(Character::toString).toList();
        org.junit.jupiter.api.Assertions.assertEquals(expected, scan(syntax, tools, chars).segments(),
                "one char at a time");
    }

    private Scans() {
    }
}
