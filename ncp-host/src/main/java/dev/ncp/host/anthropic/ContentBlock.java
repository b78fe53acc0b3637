package dev.ncp.host.anthropic;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;
import java.util.Map;

/**
 * One content block of an Anthropic message, discriminated by {@code type}. Fields a block may carry but ncp does not
 * use ({@code cache_control}, {@code citations}) are accepted and ignored. A block type ncp does not model (Anthropic
 * keeps adding them: {@code server_tool_use}, {@code web_search_tool_result}, {@code search_result}...) parses as
 * {@link Unknown} with its fields kept, so the translator can decide what it means instead of the parser failing.
 * Required fields are checked by {@link MessagesRequestValidator}, which knows the block's path.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "type",
        visible = true, defaultImpl = ContentBlock.Unknown.class)
@JsonSubTypes({
        @JsonSubTypes.Type(value = ContentBlock.Text.class, name = "text"),
        @JsonSubTypes.Type(value = ContentBlock.Image.class, name = "image"),
        @JsonSubTypes.Type(value = ContentBlock.Document.class, name = "document"),
        @JsonSubTypes.Type(value = ContentBlock.ToolUse.class, name = "tool_use"),
        @JsonSubTypes.Type(value = ContentBlock.ToolResult.class, name = "tool_result"),
        @JsonSubTypes.Type(value = ContentBlock.Thinking.class, name = "thinking"),
        @JsonSubTypes.Type(value = ContentBlock.RedactedThinking.class, name = "redacted_thinking")})
public sealed interface ContentBlock {

    /** The block's wire type, e.g. {@code "text"}. */
    String type();

    record Text(@JsonProperty("text") String text) implements ContentBlock {
        @Override
        public String type() {
            return "text";
        }
    }

    record Image(@JsonProperty("source") Source source) implements ContentBlock {
        @Override
        public String type() {
            return "image";
        }
    }

    /**
     * A document: a PDF ({@code base64}/{@code url}/{@code file} source), plain text ({@code text} source, the text
     * in {@code data}) or a list of blocks ({@code content} source).
     */
    record Document(
            @JsonProperty("source") Source source,
            @JsonProperty("title") String title,
            @JsonProperty("context") String context) implements ContentBlock {
        @Override
        public String type() {
            return "document";
        }
    }

    /** A tool call from an earlier assistant turn; {@code input} is the call's JSON object. */
    record ToolUse(
            @JsonProperty("id") String id,
            @JsonProperty("name") String name,
            @JsonProperty("input") JsonNode input) implements ContentBlock {
        @Override
        public String type() {
            return "tool_use";
        }
    }

    /** The client's result for a tool call; {@code content} is null when the tool returned nothing. */
    record ToolResult(
            @JsonProperty("tool_use_id") String toolUseId,
            @JsonProperty("content") @JsonDeserialize(using = BlockListDeserializer.class) List<ContentBlock> content,
            @JsonProperty("is_error") Boolean isError) implements ContentBlock {
        @Override
        public String type() {
            return "tool_result";
        }

        public boolean failed() {
            return Boolean.TRUE.equals(isError);
        }
    }

    record Thinking(@JsonProperty("thinking") String thinking, @JsonProperty("signature") String signature)
            implements ContentBlock {
        @Override
        public String type() {
            return "thinking";
        }
    }

    record RedactedThinking(@JsonProperty("data") String data) implements ContentBlock {
        @Override
        public String type() {
            return "redacted_thinking";
        }
    }

    /**
     * A block type ncp does not model, kept whole; {@code type} is null when the client omitted it (a 400 later).
     */
    record Unknown(
            @JsonProperty("type") String type,
            @JsonAnySetter Map<String, JsonNode> fields) implements ContentBlock {
        public Unknown {
            fields = fields == null ? Map.of() : fields;
        }

        /** A field as text, or null when absent or not a string. */
        public String text(String field) {
            JsonNode node = fields.get(field);
            return node != null && node.isTextual() ? node.asText() : null;
        }
    }

    /**
     * The source of an image or document. {@code type} is {@code base64} ({@code mediaType} + {@code data}),
     * {@code url}, {@code file} ({@code fileId}), {@code text} (documents: the text in {@code data}) or
     * {@code content} (documents: {@code content} blocks).
     */
    record Source(
            @JsonProperty("type") String type,
            @JsonProperty("media_type") String mediaType,
            @JsonProperty("data") String data,
            @JsonProperty("url") String url,
            @JsonProperty("file_id") String fileId,
            @JsonProperty("content") @JsonDeserialize(using = BlockListDeserializer.class)
            List<ContentBlock> content) {
    }
}
