package dev.ncp.api.model;

import java.util.List;
import java.util.Map;

/**
 * What an adapter may know about the request it shapes.
 *
 * @param model          the resolved model
 * @param requestedModel the model name the client asked for
 * @param thinking       the client's thinking setting
 * @param tools          the request's tools by (upstream, sanitized) name with their JSON schemas
 * @param stopSequences  the client's stop sequences
 * @param priorReasoning thinking text of earlier assistant turns whose signature ncp verified (it made them), by
 *                       index into the messages of the request {@code shape} receives (assistant messages only).
 *                       Nothing sends it upstream unless an adapter does: a family that wants its reasoning back in
 *                       history sets it with {@code ChatMessage.withReasoningContent} before adding or removing
 *                       messages; every other family ignores it. Thinking ncp did not sign never appears here.
 */
public record ShapingContext(
        ModelInfo model,
        String requestedModel,
        Thinking thinking,
        Map<String, Map<String, Object>> tools,
        List<String> stopSequences,
        Map<Integer, String> priorReasoning) {

    public ShapingContext {
        thinking = thinking == null ? Thinking.ABSENT : thinking;
        tools = Map.copyOf(tools == null ? Map.of() : tools);
        stopSequences = List.copyOf(stopSequences == null ? List.of() : stopSequences);
        priorReasoning = Map.copyOf(priorReasoning == null ? Map.of() : priorReasoning);
    }

    /** A context without prior reasoning. */
    public ShapingContext(ModelInfo model, String requestedModel, Thinking thinking,
                          Map<String, Map<String, Object>> tools, List<String> stopSequences) {
        this(model, requestedModel, thinking, tools, stopSequences, Map.of());
    }
}
