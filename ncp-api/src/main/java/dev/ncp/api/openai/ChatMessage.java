package dev.ncp.api.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One OpenAI chat message.
 *
 * @param role             {@code system}, {@code user}, {@code assistant} or {@code tool}
 * @param content          the message content (text or parts); null for an assistant turn that only calls tools
 * @param toolCalls        the assistant's tool calls, else null
 * @param toolCallId       for {@code tool} messages, the call this is the result of
 * @param reasoningContent prior reasoning, for families that want it back in history; else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatMessage(
        @JsonProperty("role") String role,
        @JsonProperty("content") MessageContent content,
        @JsonProperty("tool_calls") List<ToolCall> toolCalls,
        @JsonProperty("tool_call_id") String toolCallId,
        @JsonProperty("reasoning_content") String reasoningContent) {

    public ChatMessage {
        toolCalls = toolCalls == null || toolCalls.isEmpty() ? null : List.copyOf(toolCalls);
    }

    public static ChatMessage system(String text) {
        return new ChatMessage("system", new MessageContent.Text(text), null, null, null);
    }

    public static ChatMessage user(MessageContent content) {
        return new ChatMessage("user", content, null, null, null);
    }

    public static ChatMessage tool(String toolCallId, MessageContent content) {
        return new ChatMessage("tool", content, null, toolCallId, null);
    }

    public ChatMessage withContent(MessageContent value) {
        return new ChatMessage(role, value, toolCalls, toolCallId, reasoningContent);
    }

    public ChatMessage withReasoningContent(String value) {
        return new ChatMessage(role, content, toolCalls, toolCallId, value);
    }

    /** One function call requested by the assistant; {@code arguments} is the JSON text of the input. */
    public record ToolCall(
            @JsonProperty("id") String id,
            @JsonProperty("function") FunctionCall function) {

        @JsonProperty("type")
        public String type() {
            return "function";
        }

        public record FunctionCall(@JsonProperty("name") String name, @JsonProperty("arguments") String arguments) {
        }
    }
}
