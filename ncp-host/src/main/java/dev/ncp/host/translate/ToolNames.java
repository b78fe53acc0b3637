package dev.ncp.host.translate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tool names of one request: upstream (sanitized) name ↔ the client's original name. The request side uses
 * {@link #upstream} for tools, tool_choice and tool_use history; the response side calls {@link #restore} on every
 * tool call the model makes, so the client sees its own names again.
 */
public final class ToolNames {

    private static final ToolNames NONE = new ToolNames(Map.of(), Map.of(), new ToolNameSanitizer());

    private final Map<String, String> originalByUpstream;
    private final Map<String, String> upstreamByOriginal;
    private final ToolNameSanitizer sanitizer;

    private ToolNames(Map<String, String> originalByUpstream, Map<String, String> upstreamByOriginal,
            ToolNameSanitizer sanitizer) {
        this.originalByUpstream = originalByUpstream;
        this.upstreamByOriginal = upstreamByOriginal;
        this.sanitizer = sanitizer;
    }

    /** A request without tools. */
    public static ToolNames none() {
        return NONE;
    }

    /**
     * Assigns upstream names to {@code originals} (distinct, in order). Two names that sanitize alike get
     * {@code _2}, {@code _3}... so every upstream name maps back to exactly one original.
     */
    public static ToolNames assign(List<String> originals, ToolNameSanitizer sanitizer) {
        var byUpstream = new LinkedHashMap<String, String>();
        var byOriginal = new LinkedHashMap<String, String>();
        for (String original : originals) {
            String base = sanitizer.sanitize(original);
            String candidate = base;
            for (int n = 2; byUpstream.containsKey(candidate); n++) {
                candidate = ToolNameSanitizer.withSuffix(base, "_" + n);
            }
            byUpstream.put(candidate, original);
            byOriginal.put(original, candidate);
        }
        return new ToolNames(Collections.unmodifiableMap(byUpstream), Collections.unmodifiableMap(byOriginal),
                sanitizer);
    }

    /** The client's name for an upstream tool name; a name the request never declared is returned unchanged. */
    public String restore(String upstreamName) {
        return originalByUpstream.getOrDefault(upstreamName, upstreamName);
    }

    /** The upstream name for a client tool name (a declared tool, or a tool_use in history). */
    public String upstream(String originalName) {
        String assigned = upstreamByOriginal.get(originalName);
        return assigned != null ? assigned : sanitizer.sanitize(originalName);
    }

    /** Upstream name → original name, in declaration order. */
    public Map<String, String> asMap() {
        return originalByUpstream;
    }

    @Override
    public String toString() {
        return "ToolNames" + originalByUpstream;
    }
}
