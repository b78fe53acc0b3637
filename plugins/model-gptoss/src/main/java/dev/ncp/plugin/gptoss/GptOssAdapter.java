package dev.ncp.plugin.gptoss;

import dev.ncp.api.model.ModelAdapter;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.model.ModelInfo.Capabilities;
import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.model.Thinking;
import dev.ncp.api.openai.ChatMessage;
import dev.ncp.api.openai.ChatRequest;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * OpenAI's gpt-oss models. They always reason; how much is {@code reasoning_effort} (low, medium, high), mapped
 * from the client's thinking setting:
 * <ul>
 *   <li>{@code output_config.effort}, when sent, wins: low, medium, high ({@code max} → high);</li>
 *   <li>{@code enabled} with {@code budget_tokens}: under 4,096 → low, under 16,384 → medium, else high;</li>
 *   <li>{@code adaptive} → medium;</li>
 *   <li>absent or {@code disabled} → low: gpt-oss cannot stop reasoning, low is the least it does.</li>
 * </ul>
 * With tools, gpt-oss needs the reasoning of earlier tool-calling turns back (OpenAI's harmony guidance): the
 * {@code reasoning_content} the host puts on assistant messages is kept then, and removed from requests without
 * tools, where the model would drop it anyway. Sampling follows the card (temperature 1.0, top_p 1.0) when the
 * client set none.
 */
@Extension
public class GptOssAdapter implements ModelAdapter {

    static final String REASONING_EFFORT = "reasoning-effort";
    static final int LOW_BELOW = 4_096;
    static final int MEDIUM_BELOW = 16_384;

    private static final Capabilities TOOLS_REASONING = new Capabilities(true, false, true, false);

    @Override
    public String name() {
        return "gpt-oss";
    }

    @Override
    public boolean supports(ModelInfo model) {
        return model.id().startsWith("openai/gpt-oss") || REASONING_EFFORT.equals(model.reasoningStyle());
    }

    @Override
    public List<ModelInfo> models() {
        return List.of(
                new ModelInfo("openai/gpt-oss-120b", "gpt-oss", List.of(), 131_072, 32_768, TOOLS_REASONING,
                        REASONING_EFFORT, List.of(), Map.of()),
                new ModelInfo("openai/gpt-oss-20b", "gpt-oss", List.of(), 131_072, 32_768, TOOLS_REASONING,
                        REASONING_EFFORT, List.of(), Map.of()));
    }

    @Override
    public ChatRequest shape(ChatRequest request, ShapingContext context) {
        ChatRequest out = request.withReasoningEffort(effort(context.thinking())).withSamplingDefaults(1.0, 1.0, null);
        return out.tools() != null ? out.withPriorReasoning(context.priorReasoning()) : withoutHistoryReasoning(out);
    }

    /** The {@code reasoning_effort} for a thinking setting. */
    static String effort(Thinking thinking) {
        if (thinking.effort() != null) {
            return switch (thinking.effort()) {
                case "low" -> "low";
                case "medium" -> "medium";
                default -> "high"; // high, max, and whatever comes next
            };
        }
        return switch (thinking.mode()) {
            case ENABLED -> {
                int budget = thinking.budgetTokens() == null ? MEDIUM_BELOW : thinking.budgetTokens();
                yield budget < LOW_BELOW ? "low" : budget < MEDIUM_BELOW ? "medium" : "high";
            }
            case ADAPTIVE -> "medium";
            case ABSENT, DISABLED -> "low";
        };
    }

    private static ChatRequest withoutHistoryReasoning(ChatRequest request) {
        if (request.messages().stream().noneMatch(m -> m.reasoningContent() != null)) {
            return request;
        }
        List<ChatMessage> messages = request.messages().stream()
                .map(m -> m.reasoningContent() == null ? m : m.withReasoningContent(null)).toList();
        return request.withMessages(messages);
    }
}
