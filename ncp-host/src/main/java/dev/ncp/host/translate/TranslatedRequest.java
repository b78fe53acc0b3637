package dev.ncp.host.translate;

import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.openai.ChatRequest;
import dev.ncp.host.tokens.InputTokens;
import java.util.Map;

/**
 * A client request ready for the model adapter and the upstream.
 *
 * @param chat                 the OpenAI request (always {@code stream: true} with usage)
 * @param shaping              what the adapter may know: model, requested name, thinking, tools, stop sequences
 * @param toolNames            upstream ↔ client tool names; the response side calls {@link ToolNames#restore}
 * @param inputTokens          the request's input size by {@link TokenEstimator} (same figure as count_tokens):
 *                             bounds at once, the exact count when it is ready
 * @param historyReasoning     thinking text of earlier assistant turns that ncp signed (verified by
 *                             {@link HistoryThinking}), by index into {@code chat.messages()}; also in
 *                             {@code shaping.priorReasoning()}. Not sent anywhere by default — an adapter whose family
 *                             wants its reasoning back in history sets it with {@code ChatMessage.withReasoningContent}
 */
public record TranslatedRequest(
        ChatRequest chat,
        ShapingContext shaping,
        ToolNames toolNames,
        InputTokens inputTokens,
        Map<Integer, String> historyReasoning) {

    public TranslatedRequest {
        historyReasoning = historyReasoning == null ? Map.of() : Map.copyOf(historyReasoning);
    }

    public TranslatedRequest(ChatRequest chat, ShapingContext shaping, ToolNames toolNames, int estimatedInputTokens) {
        this(chat, shaping, toolNames, InputTokens.known(estimatedInputTokens), Map.of());
    }

    /** The exact input estimate, waiting for its count if need be. */
    public int estimatedInputTokens() {
        return inputTokens.exact();
    }
}
