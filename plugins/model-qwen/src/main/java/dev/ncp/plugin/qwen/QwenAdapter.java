package dev.ncp.plugin.qwen;

import dev.ncp.api.model.ModelAdapter;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.model.ModelInfo.Capabilities;
import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.openai.ChatRequest;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * Qwen3 models switch reasoning through the chat template: {@code chat_template_kwargs.enable_thinking}. It is
 * always sent, {@code false} included, because Qwen3's template thinks by default when the flag is absent.
 */
@Extension
public class QwenAdapter implements ModelAdapter {

    static final String QWEN_KWARGS = "qwen-kwargs";

    @Override
    public String name() {
        return "qwen";
    }

    @Override
    public boolean supports(ModelInfo model) {
        return model.id().startsWith("qwen/") || QWEN_KWARGS.equals(model.reasoningStyle());
    }

    @Override
    public List<ModelInfo> models() {
        var reasoning = new Capabilities(true, false, true, false);
        return List.of(
                new ModelInfo("qwen/qwen3-coder-480b-a35b-instruct", "qwen3-coder", List.of(), 131_072, 16_384,
                        reasoning, QWEN_KWARGS, List.of(), Map.of()),
                new ModelInfo("qwen/qwen3-235b-a22b", "qwen3", List.of(), 131_072, 16_384,
                        reasoning, QWEN_KWARGS, List.of(), Map.of()));
    }

    @Override
    public ChatRequest shape(ChatRequest request, ShapingContext context) {
        if (!context.model().capabilities().reasoning()) {
            return request;
        }
        return request.withChatTemplateKwarg("enable_thinking", context.thinking().wanted());
    }
}
