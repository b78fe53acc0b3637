package dev.ncp.plugin.qwen;

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
 * Qwen3 models. The hybrid ones switch reasoning through the chat template,
 * {@code chat_template_kwargs.enable_thinking} — always sent, {@code false} included, because Qwen3's template
 * thinks when the flag is absent. Qwen3-Coder does not think at all; it sometimes writes its tool calls as XML in
 * the content, which {@link TextToolCallRecovery#qwenXml()} turns back into tool_use blocks; so may Qwen3.5 (hybrid,
 * with vision), whose NIM also rejects a forced {@code tool_choice}.
 *
 * <p>Sampling follows the model cards when the client set none: thinking 0.6 / 0.95 / top_k 20, not thinking
 * 0.7 / 0.8 / top_k 20, Qwen3-Coder included. (The cards' {@code repetition_penalty} 1.05 is left out: it is not an
 * OpenAI field, and an upstream that refuses it would fail every request.)
 */
@Extension
public class QwenAdapter implements ModelAdapter {

    static final String QWEN_KWARGS = "qwen-kwargs";
    static final String ALWAYS_ON = "always-on";
    static final String CODER_FAMILY = "qwen3-coder";

    private static final Capabilities TOOLS = new Capabilities(true, false, false, false);
    private static final Capabilities TOOLS_REASONING = new Capabilities(true, false, true, false);
    /**
     * Qwen3.5 sees images and thinks, but its NIM can answer a forced {@code tool_choice} with a 400 ("DEGRADED
     * function" in the original's registry notes): the host sends {@code auto} plus a system hint instead.
     */
    private static final Capabilities QWEN35 = new Capabilities(true, true, true, false, false);
    static final String QWEN35_FAMILY = "qwen3.5";

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
        return List.of(
                model("qwen/qwen3-coder-480b-a35b-instruct", CODER_FAMILY, 262_144, TOOLS, "none"),
                model("qwen/qwen3-235b-a22b", "qwen3", 131_072, TOOLS_REASONING, QWEN_KWARGS),
                model("qwen/qwen3.5-122b-a10b", QWEN35_FAMILY, 262_144, QWEN35, QWEN_KWARGS),
                model("qwen/qwen3-next-80b-a3b-instruct", "qwen3-next", 262_144, TOOLS, "none"),
                model("qwen/qwen3-next-80b-a3b-thinking", "qwen3-next", 262_144, TOOLS_REASONING, ALWAYS_ON));
    }

    private static ModelInfo model(String id, String family, int context, Capabilities caps, String style) {
        return new ModelInfo(id, family, List.of(), context, 16_384, caps, style, List.of(), Map.of());
    }

    @Override
    public ChatRequest shape(ChatRequest request, ShapingContext context) {
        ModelInfo model = context.model();
        if (isCoder(model)) {
            return request.withSamplingDefaults(0.7, 0.8, 20);
        }
        boolean thinking = switch (model.reasoningStyle()) {
            case QWEN_KWARGS -> context.thinking().wanted();
            case ALWAYS_ON -> true;
            default -> false;
        };
        ChatRequest out = QWEN_KWARGS.equals(model.reasoningStyle())
                ? request.withChatTemplateKwarg("enable_thinking", thinking) : request;
        return thinking ? out.withSamplingDefaults(0.6, 0.95, 20) : out.withSamplingDefaults(0.7, 0.8, 20);
    }

    @Override
    public List<StreamProcessor> streamProcessors(ShapingContext context) {
        return writesXmlCalls(context.model()) ? List.of(TextToolCallRecovery.qwenXml()) : List.of();
    }

    /** Qwen3-Coder and Qwen3.5 call tools in the XML format (vLLM's {@code qwen3_coder} parser), which can leak. */
    private static boolean writesXmlCalls(ModelInfo model) {
        return isCoder(model) || QWEN35_FAMILY.equals(model.family());
    }

    private static boolean isCoder(ModelInfo model) {
        return CODER_FAMILY.equals(model.family()) || model.id().contains("qwen3-coder");
    }
}
