package dev.ncp.host.tokens;

import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.model.Thinking;
import dev.ncp.host.error.ApiError;
import java.util.Optional;

/**
 * Decides the {@code max_tokens} sent upstream so the request fits the model:
 * <ul>
 *   <li>omitted → {@code NCP_DEFAULT_MAX_TOKENS}, else the model's max output;</li>
 *   <li>above every context window ncp knows → refused with Anthropic's wording (such a value is a bug or a probe,
 *       not a wish that clamping would serve); Claude Code's 32000 and 128000 are far below that and clamped;</li>
 *   <li>clamped by {@code NCP_HARD_MAX_TOKENS} ({@code --max-tokens}), the model's max output, and the context
 *       window minus the estimated input (and a little room for the chat template) — down to 1 when the input
 *       leaves hardly any room: the upstream, which counts exactly, then answers or says how much is too much;</li>
 *   <li>a thinking budget stays below the result, as Anthropic requires;</li>
 *   <li>an input that alone exceeds the context window is refused with Anthropic's own wording
 *       ({@code prompt is too long: N tokens > M maximum}, M the context window), which Claude Code recognises and
 *       answers by compacting the conversation.</li>
 * </ul>
 */
public final class TokenBudget {

    /** Room kept for the chat template's own tokens, which no estimate sees. */
    static final int TEMPLATE_HEADROOM = 256;

    private final Optional<Integer> defaultMaxTokens;
    private final Optional<Integer> hardMaxTokens;
    private final int ceiling;

    public TokenBudget(Optional<Integer> defaultMaxTokens, Optional<Integer> hardMaxTokens) {
        this(defaultMaxTokens, hardMaxTokens, Integer.MAX_VALUE);
    }

    /** @param ceiling the largest {@code max_tokens} accepted at all: the largest context window of the registry */
    public TokenBudget(Optional<Integer> defaultMaxTokens, Optional<Integer> hardMaxTokens, int ceiling) {
        this.defaultMaxTokens = defaultMaxTokens;
        this.hardMaxTokens = hardMaxTokens;
        this.ceiling = ceiling;
    }

    /** The outcome: what to send upstream, and the thinking budget that still fits under it. */
    public record Decision(int maxTokens, Integer thinkingBudget) {
    }

    /**
     * The decision for {@code input}, from its bounds when they settle it, else from its exact count. Within the
     * context window the decision can only shrink as the input grows (the clamp is non-increasing in it), so equal
     * decisions at both bounds are the decision for every count between them. A refusal needs the exact count for its
     * message.
     */
    public Decision decide(Integer requested, InputTokens input, ModelInfo model, Thinking thinking) {
        if (input.upper() <= model.contextWindow()) {
            Decision atLower = decide(requested, input.lower(), model, thinking);
            if (atLower.equals(decide(requested, input.upper(), model, thinking))) {
                return atLower;
            }
        }
        return decide(requested, input.exact(), model, thinking);
    }

    public Decision decide(Integer requested, int estimatedInputTokens, ModelInfo model, Thinking thinking) {
        if (requested != null && requested > ceiling) {
            throw ApiError.invalidRequest("max_tokens: " + requested + " > " + ceiling + ", which is the maximum "
                    + "allowed number of output tokens for any model this ncp proxy serves");
        }
        if (estimatedInputTokens > model.contextWindow()) {
            throw ApiError.invalidRequest("prompt is too long: " + estimatedInputTokens + " tokens > "
                    + model.contextWindow() + " maximum");
        }
        int wanted = requested != null ? requested : defaultMaxTokens.orElse(model.maxOutputTokens());
        int max = Math.min(wanted, model.maxOutputTokens());
        if (hardMaxTokens.isPresent()) {
            max = Math.min(max, hardMaxTokens.get());
        }
        int room = model.contextWindow() - TEMPLATE_HEADROOM - estimatedInputTokens;
        max = Math.max(1, Math.min(max, room));
        Integer budget = thinking.budgetTokens();
        if (budget != null && budget >= max) {
            // Keep Anthropic's invariant budget < max_tokens, leaving at least a little room for the answer.
            budget = Math.max(0, max - Math.min(max / 4, 1024));
        }
        return new Decision(max, budget);
    }
}
