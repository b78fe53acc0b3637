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
 */
public record ShapingContext(
        ModelInfo model,
        String requestedModel,
        Thinking thinking,
        Map<String, Map<String, Object>> tools,
        List<String> stopSequences) {

    public ShapingContext {
        thinking = thinking == null ? Thinking.ABSENT : thinking;
        tools = Map.copyOf(tools == null ? Map.of() : tools);
        stopSequences = List.copyOf(stopSequences == null ? List.of() : stopSequences);
    }
}
