package dev.ncp.host.plan;

import dev.ncp.api.model.ModelAdapter;
import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.openai.ChatRequest;
import dev.ncp.host.anthropic.MessagesRequest;
import dev.ncp.host.model.Resolution;
import dev.ncp.host.processors.guard.GuardIntervention;
import dev.ncp.host.tokens.InputTokens;
import dev.ncp.host.translate.ToolNames;
import java.util.List;

/**
 * Everything decided about one request before the upstream is called.
 *
 * @param request              the client's request as routed (a {@code <CCR-SUBAGENT-MODEL>} tag removed): what a
 *                             fallback model is planned from
 * @param resolution           which model, and how it was chosen
 * @param chat                 the OpenAI request to send, shaped by the adapter
 * @param shaping              what the adapter and the response processors know about the request
 * @param adapter              the model family's adapter
 * @param toolNames            restores client tool names in the answer
 * @param inputTokens          the local input estimate (message_start's input_tokens until upstream reports);
 *                             its exact count may still be running
 * @param guarded              what the guard changed in the upstream request (the loop note), to report
 */
public record AnswerPlan(
        MessagesRequest request,
        Resolution resolution,
        ChatRequest chat,
        ShapingContext shaping,
        ModelAdapter adapter,
        ToolNames toolNames,
        InputTokens inputTokens,
        List<GuardIntervention> guarded) {

    public AnswerPlan {
        guarded = List.copyOf(guarded);
    }
}
