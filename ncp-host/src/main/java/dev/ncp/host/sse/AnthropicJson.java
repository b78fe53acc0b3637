package dev.ncp.host.sse;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.ncp.api.stream.StopReason;
import dev.ncp.api.stream.StreamEvent;
import dev.ncp.api.stream.StreamEvent.BlockStart;
import dev.ncp.api.stream.StreamEvent.ContentBlockDelta;
import dev.ncp.api.stream.StreamEvent.ContentBlockStart;
import dev.ncp.api.stream.StreamEvent.ContentBlockStop;
import dev.ncp.api.stream.StreamEvent.MessageDelta;
import dev.ncp.api.stream.StreamEvent.MessageStart;
import dev.ncp.api.stream.Usage;
import java.io.IOException;

/**
 * Writes Anthropic's JSON shapes with a streaming generator: field by field, in Anthropic's order, without building
 * a tree or reflecting over objects. The SSE writer and the non-streamed message share these, so both modes agree
 * on every field.
 */
final class AnthropicJson {

    private AnthropicJson() {
    }

    /** The SSE {@code event:} name of an event. */
    static String eventName(StreamEvent event) {
        return switch (event) {
            case MessageStart s -> "message_start";
            case ContentBlockStart s -> "content_block_start";
            case ContentBlockDelta d -> "content_block_delta";
            case ContentBlockStop s -> "content_block_stop";
            case MessageDelta d -> "message_delta";
            case StreamEvent.MessageStop s -> "message_stop";
            case StreamEvent.Ping p -> "ping";
            case StreamEvent.Error e -> "error";
        };
    }

    /** The {@code data:} object of an event. */
    static void writeEvent(JsonGenerator g, StreamEvent event) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", eventName(event));
        switch (event) {
            case MessageStart s -> {
                g.writeObjectFieldStart("message");
                g.writeStringField("id", s.messageId());
                g.writeStringField("type", "message");
                g.writeStringField("role", "assistant");
                g.writeStringField("model", s.model());
                g.writeArrayFieldStart("content");
                g.writeEndArray();
                g.writeNullField("stop_reason");
                g.writeNullField("stop_sequence");
                writeUsage(g, s.usage());
                g.writeEndObject();
            }
            case ContentBlockStart s -> {
                g.writeNumberField("index", s.index());
                g.writeFieldName("content_block");
                writeEmptyBlock(g, s.block());
            }
            case ContentBlockDelta d -> {
                g.writeNumberField("index", d.index());
                g.writeFieldName("delta");
                writeDelta(g, d.delta());
            }
            case ContentBlockStop s -> g.writeNumberField("index", s.index());
            case MessageDelta d -> {
                g.writeObjectFieldStart("delta");
                writeStop(g, d.stopReason(), d.stopSequence());
                g.writeEndObject();
                writeUsage(g, d.usage());
            }
            case StreamEvent.Error e -> {
                g.writeObjectFieldStart("error");
                g.writeStringField("type", e.type().wireName());
                g.writeStringField("message", e.message());
                g.writeEndObject();
            }
            case StreamEvent.MessageStop s -> { }
            case StreamEvent.Ping p -> { }
        }
        g.writeEndObject();
    }

    /** A whole message, as {@code POST /v1/messages} returns it without streaming. */
    static void writeMessage(JsonGenerator g, ResponseMessage message) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", message.id());
        g.writeStringField("type", "message");
        g.writeStringField("role", "assistant");
        g.writeStringField("model", message.model());
        g.writeArrayFieldStart("content");
        for (ResponseMessage.Block block : message.content()) {
            writeBlock(g, block);
        }
        g.writeEndArray();
        writeStop(g, message.stopReason(), message.stopSequence());
        writeUsage(g, message.usage());
        g.writeEndObject();
    }

    private static void writeEmptyBlock(JsonGenerator g, BlockStart block) throws IOException {
        g.writeStartObject();
        switch (block) {
            case StreamEvent.TextBlock t -> {
                g.writeStringField("type", "text");
                g.writeStringField("text", "");
            }
            case StreamEvent.ThinkingBlock t -> {
                g.writeStringField("type", "thinking");
                g.writeStringField("thinking", "");
                g.writeStringField("signature", "");
            }
            case StreamEvent.RedactedThinkingBlock r -> {
                g.writeStringField("type", "redacted_thinking");
                g.writeStringField("data", r.data());
            }
            case StreamEvent.ToolUseBlock t -> {
                g.writeStringField("type", "tool_use");
                g.writeStringField("id", t.id());
                g.writeStringField("name", t.name());
                g.writeObjectFieldStart("input");
                g.writeEndObject();
            }
        }
        g.writeEndObject();
    }

    private static void writeBlock(JsonGenerator g, ResponseMessage.Block block) throws IOException {
        g.writeStartObject();
        switch (block) {
            case ResponseMessage.Text t -> {
                g.writeStringField("type", "text");
                g.writeStringField("text", t.text());
            }
            case ResponseMessage.Thinking t -> {
                g.writeStringField("type", "thinking");
                g.writeStringField("thinking", t.thinking());
                g.writeStringField("signature", t.signature());
            }
            case ResponseMessage.RedactedThinking r -> {
                g.writeStringField("type", "redacted_thinking");
                g.writeStringField("data", r.data());
            }
            case ResponseMessage.ToolUse t -> {
                g.writeStringField("type", "tool_use");
                g.writeStringField("id", t.id());
                g.writeStringField("name", t.name());
                g.writeFieldName("input");
                g.writeTree(t.input());
            }
        }
        g.writeEndObject();
    }

    private static void writeDelta(JsonGenerator g, StreamEvent.Delta delta) throws IOException {
        g.writeStartObject();
        switch (delta) {
            case StreamEvent.TextDelta t -> {
                g.writeStringField("type", "text_delta");
                g.writeStringField("text", t.text());
            }
            case StreamEvent.ThinkingDelta t -> {
                g.writeStringField("type", "thinking_delta");
                g.writeStringField("thinking", t.thinking());
            }
            case StreamEvent.SignatureDelta s -> {
                g.writeStringField("type", "signature_delta");
                g.writeStringField("signature", s.signature());
            }
            case StreamEvent.InputJsonDelta j -> {
                g.writeStringField("type", "input_json_delta");
                g.writeStringField("partial_json", j.partialJson());
            }
        }
        g.writeEndObject();
    }

    private static void writeStop(JsonGenerator g, StopReason reason, String sequence) throws IOException {
        if (reason == null) {
            g.writeNullField("stop_reason");
        } else {
            g.writeStringField("stop_reason", reason.wireName());
        }
        if (sequence == null) {
            g.writeNullField("stop_sequence");
        } else {
            g.writeStringField("stop_sequence", sequence);
        }
    }

    private static void writeUsage(JsonGenerator g, Usage usage) throws IOException {
        g.writeObjectFieldStart("usage");
        g.writeNumberField("input_tokens", usage.inputTokens());
        g.writeNumberField("output_tokens", usage.outputTokens());
        g.writeNumberField("cache_creation_input_tokens", usage.cacheCreationInputTokens());
        g.writeNumberField("cache_read_input_tokens", usage.cacheReadInputTokens());
        g.writeEndObject();
    }
}
