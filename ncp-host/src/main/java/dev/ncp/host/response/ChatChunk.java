package dev.ncp.host.response;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One {@code chat.completion.chunk} of an OpenAI-compatible stream, reduced to the fields ncp reads. Unknown
 * fields are ignored: NIM, vLLM and friends add their own ({@code logprobs}, {@code service_tier}, ...).
 *
 * @param error set when the upstream reports a failure inside the stream (vLLM writes
 *              {@code data: {"error": {...}}} or {@code {"object":"error", ...}} after a 200 status)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatChunk(
        @JsonProperty("id") String id,
        @JsonProperty("object") String object,
        @JsonProperty("model") String model,
        @JsonProperty("choices") List<Choice> choices,
        @JsonProperty("usage") ChunkUsage usage,
        @JsonProperty("error") JsonNode error,
        @JsonProperty("message") String message) {

    public ChatChunk {
        choices = choices == null ? List.of() : choices;
    }

    /** Whether this chunk is an in-stream error report rather than a piece of the answer. */
    public boolean isError() {
        return (error != null && !error.isNull()) || "error".equals(object);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Choice(
            @JsonProperty("index") int index,
            @JsonProperty("delta") ChoiceDelta delta,
            @JsonProperty("finish_reason") String finishReason,
            @JsonProperty("stop_reason") JsonNode stopReason) {

        /** vLLM puts the stop string that ended the answer here (or a token id, which is of no use to us). */
        public String matchedStopString() {
            return stopReason != null && stopReason.isTextual() ? stopReason.asText() : null;
        }
    }

    /**
     * @param reasoningContent DeepSeek/vLLM reasoning parsers' field
     * @param reasoning        the same, as some newer servers name it
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ChoiceDelta(
            @JsonProperty("role") String role,
            @JsonProperty("content") String content,
            @JsonProperty("reasoning_content") String reasoningContent,
            @JsonProperty("reasoning") String reasoning,
            @JsonProperty("tool_calls") List<ToolCallDelta> toolCalls) {

        public ChoiceDelta {
            toolCalls = toolCalls == null ? List.of() : toolCalls;
        }

        /** The reasoning text of this delta, whichever field the server used. */
        public String anyReasoning() {
            return reasoningContent != null ? reasoningContent : reasoning;
        }
    }

    /** A fragment of one tool call; {@code index} ties fragments of the same call together. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ToolCallDelta(
            @JsonProperty("index") Integer index,
            @JsonProperty("id") String id,
            @JsonProperty("type") String type,
            @JsonProperty("function") FunctionDelta function) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FunctionDelta(@JsonProperty("name") String name, @JsonProperty("arguments") String arguments) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ChunkUsage(
            @JsonProperty("prompt_tokens") int promptTokens,
            @JsonProperty("completion_tokens") int completionTokens,
            @JsonProperty("prompt_tokens_details") PromptTokensDetails promptTokensDetails) {

        public int cachedTokens() {
            return promptTokensDetails == null ? 0 : promptTokensDetails.cachedTokens();
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PromptTokensDetails(@JsonProperty("cached_tokens") int cachedTokens) {
    }
}
