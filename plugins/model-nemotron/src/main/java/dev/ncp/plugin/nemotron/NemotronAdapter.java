package dev.ncp.plugin.nemotron;

import dev.ncp.api.model.ModelAdapter;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.model.ModelInfo.Capabilities;
import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.model.Thinking;
import dev.ncp.api.openai.ChatMessage;
import dev.ncp.api.openai.ChatRequest;
import dev.ncp.api.stream.StreamProcessor;
import dev.ncp.plugin.toolcall.TextToolCallRecovery;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * NVIDIA Nemotron models, three generations with three thinking switches (from NVIDIA's model cards):
 * <ul>
 *   <li>Llama-3.x-Nemotron v1 (Super 49B v1, Ultra 253B, Nano 8B): a system message {@code detailed thinking on}
 *       or {@code detailed thinking off};</li>
 *   <li>Super 49B v1.5 and Nano 9B v2: a system message {@code /think} or {@code /no_think};</li>
 *   <li>Nemotron 3 (Nano 30B-A3B, Super 120B-A12B): the chat-template flag
 *       {@code chat_template_kwargs.enable_thinking}, always sent (their template thinks by default).</li>
 * </ul>
 * A system-message switch goes first, before the client's own system prompt, as the cards show it. Models whose NIM
 * runs thinking-budget control get the client's {@code budget_tokens} in the field their docs name (see
 * {@link #withBudget}). Sampling follows the cards when the client set none: v1 / v1.5 / Nano 9B v2 reason at
 * temperature 0.6, top_p 0.95 and answer greedily (temperature 0) with thinking off; Nemotron 3 uses 0.6 / 0.95 for
 * tool calling and 1.0 / 1.0 otherwise. Nemotron 3 writes tool calls in Qwen3-Coder's XML, which
 * {@link TextToolCallRecovery#qwenXml()} recovers should they reach the content unparsed.
 */
@Extension
public class NemotronAdapter implements ModelAdapter {

    static final String DETAILED_THINKING = "detailed-thinking-v1";
    static final String SLASH_THINK = "slash-think";
    static final String ENABLE_THINKING = "enable-thinking-kwarg";


    private static final Capabilities TOOLS_REASONING = new Capabilities(true, false, true, false);

    @Override
    public String name() {
        return "nemotron";
    }

    @Override
    public boolean supports(ModelInfo model) {
        return switch (model.reasoningStyle()) {
            case DETAILED_THINKING, SLASH_THINK, ENABLE_THINKING -> true;
            default -> model.id().startsWith("nvidia/") && model.id().contains("nemotron");
        };
    }

    @Override
    public List<ModelInfo> models() {
        return List.of(
                model("nvidia/llama-3.3-nemotron-super-49b-v1", "nemotron-super-v1", DETAILED_THINKING, 131_072),
                model("nvidia/llama-3.1-nemotron-ultra-253b-v1", "nemotron-ultra", DETAILED_THINKING, 131_072),
                model("nvidia/llama-3.1-nemotron-nano-8b-v1", "nemotron-nano-v1", DETAILED_THINKING, 131_072),
                model("nvidia/llama-3.3-nemotron-super-49b-v1.5", "nemotron-super-v1.5", SLASH_THINK, 131_072),
                model("nvidia/nvidia-nemotron-nano-9b-v2", "nemotron-nano-9b-v2", SLASH_THINK, 131_072),
                model("nvidia/nemotron-3-nano-30b-a3b", "nemotron-3-nano", ENABLE_THINKING, 131_072),
                model("nvidia/nemotron-3-super-120b-a12b", "nemotron-3-super", ENABLE_THINKING, 131_072));
    }

    private static ModelInfo model(String id, String family, String style, int context) {
        return new ModelInfo(id, family, List.of(), context, 16_384, TOOLS_REASONING, style, List.of(), Map.of());
    }

    @Override
    public ChatRequest shape(ChatRequest request, ShapingContext context) {
        ModelInfo model = context.model();
        boolean on = context.thinking().wanted();
        ChatRequest out = switch (model.reasoningStyle()) {
            case DETAILED_THINKING -> request
                    .withLeadingMessage(ChatMessage.system(on ? "detailed thinking on" : "detailed thinking off"))
                    .withSamplingDefaults(on ? 0.6 : 0.0, on ? 0.95 : null, null);
            case SLASH_THINK -> request.withLeadingMessage(ChatMessage.system(on ? "/think" : "/no_think"))
                    .withSamplingDefaults(on ? 0.6 : 0.0, on ? 0.95 : null, null);
            case ENABLE_THINKING -> request.withChatTemplateKwarg("enable_thinking", on)
                    .withSamplingDefaults(request.tools() != null ? 0.6 : 1.0, request.tools() != null ? 0.95 : 1.0,
                            null);
            default -> request;
        };
        Integer budget = context.thinking().mode() == Thinking.Mode.ENABLED ? context.thinking().budgetTokens() : null;
        return budget == null ? out : withBudget(out, model.family(), budget);
    }

    /**
     * The thinking budget where the family's NIM takes one:
     * <ul>
     *   <li>Nano 9B v2: {@code nvext.max_thinking_tokens}, NIM's thinking-budget control, on by default for this NIM
     *       (https://docs.nvidia.com/nim/large-language-models/latest/thinking-budget-control.html);</li>
     *   <li>Nemotron 3 Nano: top-level {@code reasoning_budget}, the family's field in NVIDIA's hosted API reference
     *       (https://docs.api.nvidia.com/nim/reference/nvidia-nemotron-3-nano-omni-30b-a3b-reasoning-infer: "maximum
     *       number of tokens the model is allowed to use for internal reasoning").</li>
     * </ul>
     * Other families document no budget: none is sent.
     */
    static ChatRequest withBudget(ChatRequest request, String family, int budget) {
        return switch (family) {
            case "nemotron-nano-9b-v2" -> request.withExtra("nvext", Map.of("max_thinking_tokens", budget));
            case "nemotron-3-nano" -> request.withExtra("reasoning_budget", budget);
            default -> request;
        };
    }

    @Override
    public List<StreamProcessor> streamProcessors(ShapingContext context) {
        return ENABLE_THINKING.equals(context.model().reasoningStyle())
                ? List.of(TextToolCallRecovery.qwenXml()) : List.of();
    }
}
