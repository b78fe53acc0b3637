package dev.ncp.plugin.kimi;

import dev.ncp.api.model.ModelAdapter;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.model.ModelInfo.Capabilities;
import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.openai.ChatRequest;
import dev.ncp.api.stream.StreamProcessor;
import dev.ncp.plugin.toolcall.TextToolCallRecovery;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * Moonshot's Kimi K2. Its tool-call ids have their own format, {@code functions.NAME:INDEX}, which the model wants
 * back in history: the host's tool-id codec turns them into {@code toolu_} ids that map back, so nothing is needed
 * here for parsed calls. What this adapter adds is {@link TextToolCallRecovery#kimiTokens()}: when a tool-call
 * section reaches the content as text ({@code <|tool_calls_section_begin|>...}), its calls become tool_use blocks
 * (with ids that map back to Kimi's), and stray special tokens ({@code <|im_end|>}...) are removed from text.
 * K2 Instruct answers at the card's temperature 0.6, K2 Thinking (always reasoning) at 1.0, when the client set none.
 */
@Extension
public class KimiAdapter implements ModelAdapter {

    static final String ALWAYS_ON = "always-on";

    private static final Capabilities TOOLS = new Capabilities(true, false, false, false);
    private static final Capabilities TOOLS_REASONING = new Capabilities(true, false, true, false);

    @Override
    public String name() {
        return "kimi";
    }

    @Override
    public boolean supports(ModelInfo model) {
        return model.id().startsWith("moonshotai/kimi-k2");
    }

    @Override
    public List<ModelInfo> models() {
        return List.of(
                model("moonshotai/kimi-k2-instruct", "kimi-k2", 131_072, TOOLS, "none"),
                model("moonshotai/kimi-k2-instruct-0905", "kimi-k2", 262_144, TOOLS, "none"),
                model("moonshotai/kimi-k2-thinking", "kimi-k2-thinking", 262_144, TOOLS_REASONING, ALWAYS_ON));
    }

    private static ModelInfo model(String id, String family, int context, Capabilities caps, String style) {
        return new ModelInfo(id, family, List.of(), context, 16_384, caps, style, List.of(), Map.of());
    }

    @Override
    public ChatRequest shape(ChatRequest request, ShapingContext context) {
        boolean thinks = ALWAYS_ON.equals(context.model().reasoningStyle());
        ChatRequest out = request.withSamplingDefaults(thinks ? 1.0 : 0.6, null, null);
        // K2 Thinking wants its reasoning_content back on earlier assistant turns in tool loops (Moonshot's "Using
        // thinking models", https://platform.moonshot.ai/docs/guide/use-kimi-k2-thinking-model); Instruct has none
        return thinks ? out.withPriorReasoning(context.priorReasoning()) : out;
    }

    @Override
    public List<StreamProcessor> streamProcessors(ShapingContext context) {
        return List.of(TextToolCallRecovery.kimiTokens());
    }
}
