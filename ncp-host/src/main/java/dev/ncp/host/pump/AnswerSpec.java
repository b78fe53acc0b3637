package dev.ncp.host.pump;

import dev.ncp.api.model.ShapingContext;
import java.util.Objects;
import java.util.function.IntSupplier;
import java.util.function.UnaryOperator;

/**
 * What the pump needs to know about the answer it produces.
 *
 * @param messageId            the {@code msg_...} id the client sees
 * @param model                the model name for the client: the one it asked for
 * @param inputTokens          input tokens as estimated before the upstream answers (for message_start); asked
 *                             for when the answer starts, by which time its count has long finished
 * @param request              the shaped request (model capabilities, stop sequences, tools)
 * @param toolNames            restores the client's tool names from the names sent upstream
 */
public record AnswerSpec(
        String messageId,
        String model,
        IntSupplier inputTokens,
        ShapingContext request,
        UnaryOperator<String> toolNames) {

    public AnswerSpec {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(request, "request");
        toolNames = toolNames == null ? UnaryOperator.identity() : toolNames;
    }

    public AnswerSpec(String messageId, String model, int estimatedInputTokens, ShapingContext request,
                      UnaryOperator<String> toolNames) {
        this(messageId, model, () -> estimatedInputTokens, request, toolNames);
    }

    public int estimatedInputTokens() {
        return inputTokens.getAsInt();
    }
}
