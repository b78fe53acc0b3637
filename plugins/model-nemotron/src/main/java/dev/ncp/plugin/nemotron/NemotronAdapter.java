package dev.ncp.plugin.nemotron;

import dev.ncp.api.model.ModelAdapter;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.model.ModelInfo.Capabilities;
import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.openai.ChatMessage;
import dev.ncp.api.openai.ChatRequest;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * NVIDIA Nemotron models switch reasoning with a system message: the Llama-3.x-Nemotron v1 family reads
 * {@code detailed thinking on|off}; v1.5 and the Nemotron-3 / Nano-v2 generation read {@code /think} or
 * {@code /no_think}. The switch goes first, before the user's own system prompt, as NVIDIA's model cards show.
 */
@Extension
public class NemotronAdapter implements ModelAdapter {

    static final String DETAILED_THINKING = "detailed-thinking-v1";
    static final String SLASH_THINK = "slash-think";

    private static final Capabilities TOOLS_REASONING = new Capabilities(true, false, true, false);

    @Override
    public String name() {
        return "nemotron";
    }

    @Override
    public boolean supports(ModelInfo model) {
        return DETAILED_THINKING.equals(model.reasoningStyle()) || SLASH_THINK.equals(model.reasoningStyle())
                || model.id().startsWith("nvidia/") && model.id().contains("nemotron");
    }

    @Override
    public List<ModelInfo> models() {
        return List.of(
                model("nvidia/llama-3.3-nemotron-super-49b-v1", "nemotron-super-v1", DETAILED_THINKING, 131_072),
                model("nvidia/llama-3.3-nemotron-super-49b-v1.5", "nemotron-super-v1.5", SLASH_THINK, 131_072),
                model("nvidia/llama-3.1-nemotron-ultra-253b-v1", "nemotron-ultra", DETAILED_THINKING, 131_072),
                model("nvidia/nemotron-3-nano-30b-a3b", "nemotron-3-nano", SLASH_THINK, 131_072),
                model("nvidia/nemotron-3-super-120b-a12b", "nemotron-3-super", SLASH_THINK, 131_072),
                model("nvidia/nvidia-nemotron-nano-9b-v2", "nemotron-nano-9b-v2", SLASH_THINK, 131_072));
    }

    private static ModelInfo model(String id, String family, String style, int context) {
        return new ModelInfo(id, family, List.of(), context, 16_384, TOOLS_REASONING, style, List.of(), Map.of());
    }

    @Override
    public ChatRequest shape(ChatRequest request, ShapingContext context) {
        boolean on = context.thinking().wanted();
        String style = context.model().reasoningStyle();
        String switchText = DETAILED_THINKING.equals(style)
                ? (on ? "detailed thinking on" : "detailed thinking off")
                : (on ? "/think" : "/no_think");
        return request.withLeadingMessage(ChatMessage.system(switchText));
    }
}
