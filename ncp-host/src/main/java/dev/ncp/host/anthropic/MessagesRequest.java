package dev.ncp.host.anthropic;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.Collections;
import java.util.List;

/**
 * A {@code POST /v1/messages} (or {@code /count_tokens}) body as the client sent it. Built only by
 * {@link MessagesRequestParser}, which validates it: after parsing, {@code model} and {@code messages} are present,
 * every block has its required fields, and the numeric ranges hold. Optional fields are null when absent.
 * Fields Anthropic accepts that ncp has no use for ({@code context_management}, {@code container}...) are ignored.
 *
 * @param system     the system prompt as text blocks (a string arrives as one block), or null
 * @param maxTokens  null when omitted (count_tokens, or a client relying on the host's default)
 * @param mcpServers Anthropic's MCP connector servers, kept only so the translator can refuse them by name
 */
public record MessagesRequest(
        @JsonProperty("model") String model,
        @JsonProperty("messages") List<InputMessage> messages,
        @JsonProperty("system") @JsonDeserialize(using = BlockListDeserializer.class) List<ContentBlock> system,
        @JsonProperty("max_tokens") Integer maxTokens,
        @JsonProperty("stream") Boolean stream,
        @JsonProperty("stop_sequences") List<String> stopSequences,
        @JsonProperty("temperature") Double temperature,
        @JsonProperty("top_p") Double topP,
        @JsonProperty("top_k") Integer topK,
        @JsonProperty("metadata") RequestMetadata metadata,
        @JsonProperty("tools") List<ToolDefinition> tools,
        @JsonProperty("tool_choice") ToolChoiceParam toolChoice,
        @JsonProperty("thinking") ThinkingConfig thinking,
        @JsonProperty("output_config") OutputConfig outputConfig,
        @JsonProperty("service_tier") String serviceTier,
        @JsonProperty("mcp_servers") JsonNode mcpServers) {

    public MessagesRequest {
        // unmodifiableList, not List.copyOf: a null element must reach the validator, which names its path.
        messages = messages == null ? null : Collections.unmodifiableList(messages);
        system = system == null ? List.of() : Collections.unmodifiableList(system);
        stopSequences = stopSequences == null ? List.of() : Collections.unmodifiableList(stopSequences);
        tools = tools == null ? List.of() : Collections.unmodifiableList(tools);
    }

    /** The same request with another system prompt (e.g. a routing tag removed from it). */
    public MessagesRequest withSystem(List<ContentBlock> value) {
        return new MessagesRequest(model, messages, value, maxTokens, stream, stopSequences, temperature, topP, topK,
                metadata, tools, toolChoice, thinking, outputConfig, serviceTier, mcpServers);
    }

    /** Whether the client asked for an SSE stream. */
    public boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }
}
