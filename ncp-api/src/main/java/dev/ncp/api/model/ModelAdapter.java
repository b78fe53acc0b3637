package dev.ncp.api.model;

import dev.ncp.api.openai.ChatRequest;
import dev.ncp.api.stream.StreamProcessor;
import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * Per-model-family quirks. For each request the host picks the adapter with the highest {@link #priority()} among
 * those that {@link #supports} the resolved model; a generic adapter in the host (priority {@code Integer.MIN_VALUE})
 * serves every model no plugin claims.
 *
 * <p>An adapter is stateless: everything about the request arrives in the {@link ShapingContext}.
 */
public interface ModelAdapter extends ExtensionPoint {

    /** A short name for logs and {@code /health}, e.g. {@code "qwen"}. */
    String name();

    /** Whether this adapter knows how to talk to {@code model}. */
    boolean supports(ModelInfo model);

    /** Higher wins when several adapters support a model. Plugins use 100 by default. */
    default int priority() {
        return 100;
    }

    /** Registry entries this adapter's family contributes; user configuration may override them. */
    default List<ModelInfo> models() {
        return List.of();
    }

    /**
     * Shapes the translated OpenAI request for this family: thinking controls, sampling defaults, fields the
     * family rejects. Returns the request to send (records are immutable: return a modified copy).
     */
    ChatRequest shape(ChatRequest request, ShapingContext context);

    /**
     * Processors this family adds to the response chain for one request, e.g. {@code <think>} tags to thinking
     * blocks or tool calls written as text to tool_use blocks. Called once per request.
     */
    default List<StreamProcessor> streamProcessors(ShapingContext context) {
        return List.of();
    }
}
