package dev.ncp.plugin.deepseek;

import dev.ncp.api.model.ModelAdapter;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.model.ModelInfo.Capabilities;
import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.openai.ChatRequest;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DeepSeek models.
 * <ul>
 *   <li>R1 always reasons (its reasoning comes back as {@code reasoning_content} or inline {@code <think>}, which
 *       the host turns into a thinking block); nothing switches it, so a client's {@code thinking: disabled}
 *       cannot turn it off. The card's sampling (temperature 0.6, top_p 0.95) applies when the client set none.
 *       The first R1 has no tool calling: its registry entry says so and the host refuses requests with tools
 *       with a 400 that says why.</li>
 *   <li>V3.1 and later (V3.2, V4) are hybrid: {@code chat_template_kwargs.thinking} true or false, always sent.
 *       V3.1's card supports tool calls in non-thinking mode only, so V3.1 with tools answers without thinking.
 *       In thinking mode the verified reasoning of earlier assistant turns goes back as their
 *       {@code reasoning_content}: DeepSeek requires it for turns that called tools and ignores it for the others
 *       (https://api-docs.deepseek.com/guides/thinking_mode). R1 gets none: its API answers 400 to
 *       {@code reasoning_content} in the input.</li>
 * </ul>
 */
@Extension
public class DeepSeekAdapter implements ModelAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(DeepSeekAdapter.class);

    static final String ALWAYS_ON = "always-on";
    static final String THINKING_KWARG = "deepseek-thinking-kwarg";
    /** V3.1's chat template calls tools only in non-thinking mode. */
    static final String V31_FAMILY = "deepseek-v3.1";

    private static final Capabilities REASONING_ONLY = new Capabilities(false, false, true, false);
    private static final Capabilities TOOLS_REASONING = new Capabilities(true, false, true, false);

    @Override
    public String name() {
        return "deepseek";
    }

    @Override
    public boolean supports(ModelInfo model) {
        return model.id().startsWith("deepseek-ai/") || THINKING_KWARG.equals(model.reasoningStyle());
    }

    @Override
    public List<ModelInfo> models() {
        return List.of(
                model("deepseek-ai/deepseek-r1", "deepseek-r1", 131_072, REASONING_ONLY, ALWAYS_ON),
                model("deepseek-ai/deepseek-r1-0528", "deepseek-r1", 131_072, TOOLS_REASONING, ALWAYS_ON),
                model("deepseek-ai/deepseek-v3.1", V31_FAMILY, 131_072, TOOLS_REASONING, THINKING_KWARG),
                model("deepseek-ai/deepseek-v3.1-terminus", V31_FAMILY, 131_072, TOOLS_REASONING, THINKING_KWARG),
                model("deepseek-ai/deepseek-v3.2", "deepseek-v3.2", 131_072, TOOLS_REASONING, THINKING_KWARG),
                model("deepseek-ai/deepseek-v4-pro", "deepseek-v4", 1_000_000, TOOLS_REASONING, THINKING_KWARG),
                model("deepseek-ai/deepseek-v4-flash", "deepseek-v4", 1_000_000, TOOLS_REASONING, THINKING_KWARG));
    }

    private static ModelInfo model(String id, String family, int context, Capabilities caps, String style) {
        return new ModelInfo(id, family, List.of(), context, 16_384, caps, style, List.of(), Map.of());
    }

    @Override
    public ChatRequest shape(ChatRequest request, ShapingContext context) {
        ModelInfo model = context.model();
        return switch (model.reasoningStyle()) {
            case ALWAYS_ON -> request.withSamplingDefaults(0.6, 0.95, null);
            case THINKING_KWARG -> {
                boolean thinking = thinking(request, context);
                ChatRequest out = request.withChatTemplateKwarg("thinking", thinking);
                yield thinking ? out.withPriorReasoning(context.priorReasoning()) : out;
            }
            default -> request;
        };
    }

    private static boolean thinking(ChatRequest request, ShapingContext context) {
        boolean wanted = context.thinking().wanted();
        if (wanted && request.tools() != null && V31_FAMILY.equals(context.model().family())) {
            LOG.debug("{}: thinking off for this request, as V3.1 calls tools only in non-thinking mode",
                    context.model().id());
            return false;
        }
        return wanted;
    }
}
