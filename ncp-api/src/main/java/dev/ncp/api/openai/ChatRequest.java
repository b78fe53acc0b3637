package dev.ncp.api.openai;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OpenAI chat-completions request as ncp sends it upstream. Immutable: adapters return modified copies through
 * the {@code with...} methods. Fields the record does not name (family-specific ones such as {@code nvext}) go in
 * {@link #extra()}, which is written inline.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatRequest(
        @JsonProperty("model") String model,
        @JsonProperty("messages") List<ChatMessage> messages,
        @JsonProperty("tools") List<ChatTool> tools,
        @JsonProperty("tool_choice") ToolChoice toolChoice,
        @JsonProperty("parallel_tool_calls") Boolean parallelToolCalls,
        @JsonProperty("max_tokens") Integer maxTokens,
        @JsonProperty("temperature") Double temperature,
        @JsonProperty("top_p") Double topP,
        @JsonProperty("top_k") Integer topK,
        @JsonProperty("stop") List<String> stop,
        @JsonProperty("user") String user,
        @JsonProperty("stream") boolean stream,
        @JsonProperty("stream_options") StreamOptions streamOptions,
        @JsonProperty("reasoning_effort") String reasoningEffort,
        @JsonProperty("chat_template_kwargs") Map<String, Object> chatTemplateKwargs,
        @JsonIgnore Map<String, Object> extra) {

    public ChatRequest {
        messages = List.copyOf(messages);
        tools = tools == null || tools.isEmpty() ? null : List.copyOf(tools);
        stop = stop == null || stop.isEmpty() ? null : List.copyOf(stop);
        chatTemplateKwargs = chatTemplateKwargs == null || chatTemplateKwargs.isEmpty()
                ? null : Map.copyOf(chatTemplateKwargs);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    @JsonAnyGetter
    Map<String, Object> extraFields() {
        return extra;
    }

    /** Options for streamed answers; ncp always asks for usage in the final chunk. */
    public record StreamOptions(@JsonProperty("include_usage") boolean includeUsage) {
        public static final StreamOptions WITH_USAGE = new StreamOptions(true);
    }

    public ChatRequest withModel(String value) {
        return new ChatRequest(value, messages, tools, toolChoice, parallelToolCalls, maxTokens, temperature, topP,
                topK, stop, user, stream, streamOptions, reasoningEffort, chatTemplateKwargs, extra);
    }

    public ChatRequest withMessages(List<ChatMessage> value) {
        return new ChatRequest(model, value, tools, toolChoice, parallelToolCalls, maxTokens, temperature, topP,
                topK, stop, user, stream, streamOptions, reasoningEffort, chatTemplateKwargs, extra);
    }

    /**
     * Returns a copy whose assistant messages carry the verified reasoning of their turn as {@code reasoning_content}
     * ({@code ShapingContext.priorReasoning}: message index → text), for families that want it back in history.
     */
    public ChatRequest withPriorReasoning(java.util.Map<Integer, String> byIndex) {
        if (byIndex.isEmpty()) {
            return this;
        }
        var list = new java.util.ArrayList<ChatMessage>(messages);
        byIndex.forEach((index, text) -> {
            if (index < list.size() && "assistant".equals(list.get(index).role())) {
                list.set(index, list.get(index).withReasoningContent(text));
            }
        });
        return withMessages(list);
    }

    /** Returns a copy whose first message is {@code message}; used for family system prompts such as "/think". */
    public ChatRequest withLeadingMessage(ChatMessage message) {
        var list = new java.util.ArrayList<ChatMessage>(messages.size() + 1);
        list.add(message);
        list.addAll(messages);
        return withMessages(list);
    }

    public ChatRequest withTools(List<ChatTool> value, ToolChoice choice, Boolean parallel) {
        return new ChatRequest(model, messages, value, choice, parallel, maxTokens, temperature, topP,
                topK, stop, user, stream, streamOptions, reasoningEffort, chatTemplateKwargs, extra);
    }

    public ChatRequest withMaxTokens(Integer value) {
        return new ChatRequest(model, messages, tools, toolChoice, parallelToolCalls, value, temperature, topP,
                topK, stop, user, stream, streamOptions, reasoningEffort, chatTemplateKwargs, extra);
    }

    public ChatRequest withSampling(Double newTemperature, Double newTopP, Integer newTopK) {
        return new ChatRequest(model, messages, tools, toolChoice, parallelToolCalls, maxTokens, newTemperature,
                newTopP, newTopK, stop, user, stream, streamOptions, reasoningEffort, chatTemplateKwargs, extra);
    }

    /**
     * Returns a copy where the sampling fields the request leaves unset take these values: a family's recommended
     * sampling that must not override what the client chose. A null argument leaves its field as it is.
     */
    public ChatRequest withSamplingDefaults(Double defaultTemperature, Double defaultTopP, Integer defaultTopK) {
        return withSampling(temperature != null ? temperature : defaultTemperature,
                topP != null ? topP : defaultTopP, topK != null ? topK : defaultTopK);
    }

    public ChatRequest withReasoningEffort(String value) {
        return new ChatRequest(model, messages, tools, toolChoice, parallelToolCalls, maxTokens, temperature, topP,
                topK, stop, user, stream, streamOptions, value, chatTemplateKwargs, extra);
    }

    /** Returns a copy with one {@code chat_template_kwargs} entry set (other entries kept). */
    public ChatRequest withChatTemplateKwarg(String key, Object value) {
        var kwargs = new LinkedHashMap<String, Object>(chatTemplateKwargs == null ? Map.of() : chatTemplateKwargs);
        kwargs.put(key, value);
        return new ChatRequest(model, messages, tools, toolChoice, parallelToolCalls, maxTokens, temperature, topP,
                topK, stop, user, stream, streamOptions, reasoningEffort, kwargs, extra);
    }

    /** Returns a copy with one extra top-level field set ({@code null} removes it). */
    public ChatRequest withExtra(String key, Object value) {
        var fields = new LinkedHashMap<String, Object>(extra);
        if (value == null) {
            fields.remove(key);
        } else {
            fields.put(key, value);
        }
        return new ChatRequest(model, messages, tools, toolChoice, parallelToolCalls, maxTokens, temperature, topP,
                topK, stop, user, stream, streamOptions, reasoningEffort, chatTemplateKwargs, fields);
    }
}
