package dev.ncp.host.observe;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What the visualization bus carries about one request: its lifecycle, never its content (no prompt or answer text
 * leaves through the bus — only kinds, sizes, names of tools, timings and token counts). Each record is one
 * {@code type} on the wire; field names are written in snake_case.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "lane"})
public sealed interface VisualEvent {

    @JsonProperty("type")
    String type();

    @JsonProperty("lane")
    Lane lane();

    /** A request for {@code POST /v1/messages} arrived (after auth). */
    record Received(String principal, String model, boolean stream) implements VisualEvent {
        public String type() { return "received"; }
        public Lane lane() { return Lane.LIFECYCLE; }
    }

    /** The requested model was resolved: {@code model} is what the upstream is asked for, {@code route} how. */
    record Routed(String requested, String model, String route) implements VisualEvent {
        public String type() { return "routed"; }
        public Lane lane() { return Lane.LIFECYCLE; }
    }

    /** The upstream's first body byte arrived, {@code afterMs} after the request did. */
    record UpstreamFirstByte(long afterMs) implements VisualEvent {
        public String type() { return "upstream_first_byte"; }
        public Lane lane() { return Lane.DIAGNOSTICS; }
    }

    /** The first content (text, thinking or a tool call) went to the client: the time to first token. */
    record FirstToken(long ttftMs) implements VisualEvent {
        public String type() { return "first_token"; }
        public Lane lane() { return Lane.LIFECYCLE; }
    }

    /** A text, thinking or redacted_thinking block opened ({@code kind}). Thinking shows as kind "thinking". */
    record BlockStart(int index, String kind) implements VisualEvent {
        public String type() { return "block_start"; }
        public Lane lane() { return Lane.CONTENT; }
    }

    /** A tool_use block opened: the model calls {@code name}. */
    record ToolCall(int index, String id, String name) implements VisualEvent {
        public String type() { return "tool_call"; }
        public Lane lane() { return Lane.TOOLS; }
    }

    /**
     * The guard changed a tool call ({@code kind}: args_repaired, args_coerced, args_unrepairable, name_fixed,
     * text_call) or the upstream request (loop_note): {@code tool} is the client's tool name, {@code detail} what was
     * done in a few words (never argument values).
     */
    record Guard(String kind, String tool, String detail) implements VisualEvent {
        public String type() { return "guard"; }
        public Lane lane() { return Lane.TOOLS; }
    }

    /** A block closed after {@code chars} characters of text, thinking or tool-input JSON. */
    record BlockStop(int index, String kind, long chars) implements VisualEvent {
        public String type() { return "block_stop"; }
        public Lane lane() { return "tool_use".equals(kind) ? Lane.TOOLS : Lane.CONTENT; }
    }

    /** Cumulative usage as the answer reports it (message_delta snapshots and the final one). */
    record UsageSnapshot(int inputTokens, int outputTokens, int cacheReadInputTokens) implements VisualEvent {
        public String type() { return "usage"; }
        public Lane lane() { return Lane.DIAGNOSTICS; }
    }

    /**
     * The upstream call to {@code model} is tried again after {@code delayMs}: {@code attempt} is that model's
     * attempt about to start (2 for the first retry), {@code reason} the error type that failed the last one.
     */
    record Retry(String model, int attempt, String reason, long delayMs) implements VisualEvent {
        public String type() { return "retry"; }
        public Lane lane() { return Lane.DIAGNOSTICS; }
    }

    /** Model {@code from} could not answer ({@code reason}: the error type); {@code to} is tried instead. */
    record Fallback(String from, String to, String reason) implements VisualEvent {
        public String type() { return "fallback"; }
        public Lane lane() { return Lane.DIAGNOSTICS; }
    }

    /** A circuit breaker changed state (reported by the resilience layer). */
    record BreakerChange(String breaker, String from, String to) implements VisualEvent {
        public String type() { return "breaker"; }
        public Lane lane() { return Lane.DIAGNOSTICS; }
    }

    /** The request failed: before the answer began (an error status) or mid-answer (an error event). */
    record Failed(String errorType, int status, String message) implements VisualEvent {
        public String type() { return "error"; }
        public Lane lane() { return Lane.DIAGNOSTICS; }
    }

    /** The request is over. {@code outcome}: ok, error or client_gone. */
    record Finish(String requested, String model, String route, int status, String outcome, String stopReason,
                  int inputTokens, int outputTokens, Long ttftMs, long durationMs, Double tokensPerSecond)
            implements VisualEvent {
        public String type() { return "finish"; }
        public Lane lane() { return Lane.LIFECYCLE; }
    }
}
