package dev.ncp.host.sse;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.error.ErrorType;
import dev.ncp.api.stream.StopReason;
import dev.ncp.api.stream.StreamEvent.ContentBlockDelta;
import dev.ncp.api.stream.StreamEvent.ContentBlockStart;
import dev.ncp.api.stream.StreamEvent.ContentBlockStop;
import dev.ncp.api.stream.StreamEvent.MessageDelta;
import dev.ncp.api.stream.StreamEvent.MessageStart;
import dev.ncp.api.stream.StreamEvent;
import dev.ncp.api.stream.Usage;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.pump.EventSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sink for {@code stream: false}: folds an answer's events into one {@link ResponseMessage}, exactly as an SDK
 * accumulates a stream, so both modes give the same message. An error event makes {@link #message()} throw the
 * error instead, with the upstream's status and headers when the pump passed them on ({@link #failing}). Tool
 * input that is not a JSON object (a call cut off by max_tokens) becomes {@code {}}, as the Anthropic Java SDK's
 * accumulator does, so stream and non-stream answers agree.
 */
public final class MessageAggregator implements EventSink {

    private final ObjectMapper json;
    private final Map<Integer, BlockBuilder> blocks = new TreeMap<>();
    private String id;
    private String model;
    private Usage startUsage = Usage.ZERO;
    private Usage usage = Usage.ZERO;
    private StopReason stopReason;
    private String stopSequence;
    private boolean stopped;
    private ApiError error;

    public MessageAggregator(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void accept(StreamEvent event) {
        switch (event) {
            case MessageStart s -> {
                id = s.messageId();
                model = s.model();
                startUsage = s.usage();
                usage = s.usage();
            }
            case ContentBlockStart s -> blocks.put(s.index(), new BlockBuilder(s.block()));
            case ContentBlockDelta d -> {
                BlockBuilder block = blocks.get(d.index());
                if (block != null) {
                    block.append(d.delta());
                }
            }
            case ContentBlockStop s -> { }
            case MessageDelta d -> {
                stopReason = d.stopReason();
                stopSequence = d.stopSequence();
                usage = d.usage();
            }
            case StreamEvent.MessageStop s -> stopped = true;
            case StreamEvent.Error e -> {
                if (error == null || error.type() != e.type()) {
                    error = new ApiError(e.type(), e.message());
                }
            }
            case StreamEvent.Ping p -> { }
        }
    }

    /** Nothing of a whole answer reaches the client before its end: a failed attempt's content can be replaced. */
    @Override
    public boolean canTakeBack() {
        return true;
    }

    /** Back to just after message_start: the next attempt's blocks, stop reason and usage replace these. */
    @Override
    public void takeBack() {
        blocks.clear();
        usage = startUsage;
        stopReason = null;
        stopSequence = null;
        stopped = false;
        error = null;
    }

    /** Keeps the failure's status and headers (e.g. {@code retry-after}) for the error {@link #message()} throws. */
    @Override
    public void failing(ApiError failure) {
        error = failure;
    }

    /** The whole message; throws the answer's error if it failed or never finished. */
    public ResponseMessage message() {
        if (error != null) {
            throw error;
        }
        if (!stopped) {
            throw new ApiError(ErrorType.API, "The answer ended before it was complete.");
        }
        var content = new ArrayList<ResponseMessage.Block>(blocks.size());
        for (BlockBuilder block : blocks.values()) {
            content.add(block.build());
        }
        return new ResponseMessage(id, model, content, stopReason, stopSequence, usage);
    }

    /** The message as Anthropic's JSON body; throws like {@link #message()}. */
    public byte[] messageJson() {
        ResponseMessage message = message();
        var bytes = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = json.createGenerator(bytes)) {
            AnthropicJson.writeMessage(g, message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private final class BlockBuilder {
        private final StreamEvent.BlockStart start;
        private final StringBuilder text = new StringBuilder();
        private String signature = "";

        BlockBuilder(StreamEvent.BlockStart start) {
            this.start = start;
        }

        void append(StreamEvent.Delta delta) {
            switch (delta) {
                case StreamEvent.TextDelta t -> text.append(t.text());
                case StreamEvent.ThinkingDelta t -> text.append(t.thinking());
                case StreamEvent.InputJsonDelta j -> text.append(j.partialJson());
                case StreamEvent.SignatureDelta s -> signature = s.signature();
            }
        }

        ResponseMessage.Block build() {
            return switch (start) {
                case StreamEvent.TextBlock t -> new ResponseMessage.Text(text.toString());
                case StreamEvent.ThinkingBlock t -> new ResponseMessage.Thinking(text.toString(), signature);
                case StreamEvent.RedactedThinkingBlock r -> new ResponseMessage.RedactedThinking(r.data());
                case StreamEvent.ToolUseBlock t -> new ResponseMessage.ToolUse(t.id(), t.name(), input());
            };
        }

        private JsonNode input() {
            try {
                JsonNode node = text.toString().isBlank() ? null : json.readTree(text.toString());
                return node != null && node.isObject() ? node : json.createObjectNode();
            } catch (IOException e) {
                return json.createObjectNode();
            }
        }
    }
}
