package dev.ncp.host.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.api.model.ModelAdapter;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.model.Thinking;
import dev.ncp.api.openai.ChatRequest;
import java.util.List;
import java.util.Map;

/** What the model plugins' shaping tests share: their models by id, thinking settings by name, the shaped JSON. */
public final class Shaping {

    private Shaping() {
    }

    /** The model {@code adapter} describes under {@code id}; fails when it describes none. */
    public static ModelInfo model(ModelAdapter adapter, String id) {
        return adapter.models().stream().filter(m -> m.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(adapter.getClass().getSimpleName() + " has no model " + id));
    }

    /** A client's thinking setting by name: absent, disabled, enabled (with {@code enabledBudget}) or adaptive. */
    public static Thinking thinking(String mode, int enabledBudget) {
        return switch (mode) {
            case "absent" -> Thinking.ABSENT;
            case "disabled" -> new Thinking(Thinking.Mode.DISABLED, null, null);
            case "enabled" -> new Thinking(Thinking.Mode.ENABLED, enabledBudget, null);
            case "adaptive" -> new Thinking(Thinking.Mode.ADAPTIVE, null, null);
            default -> throw new IllegalArgumentException(mode);
        };
    }

    /**
     * {@code request} sent to {@code modelId} as the host hands it to {@code adapter} (no tools renamed, no stop
     * sequences), shaped, as the JSON the upstream would receive.
     */
    public static JsonNode shaped(ModelAdapter adapter, String modelId, String requestedModel, Thinking thinking,
                                  ChatRequest request) {
        return shaped(adapter, modelId, thinking, request, Map.of());
    }

    /** As {@link #shaped(ModelAdapter, String, String, Thinking, ChatRequest)}, with the host's verified reasoning. */
    public static JsonNode shaped(ModelAdapter adapter, String modelId, Thinking thinking, ChatRequest request,
                                  Map<Integer, String> priorReasoning) {
        var context = new ShapingContext(model(adapter, modelId), "claude-opus-4-7", thinking, Map.of(), List.of(),
                priorReasoning);
        return AnswerHarness.JSON.valueToTree(adapter.shape(request.withModel(modelId), context));
    }
}
