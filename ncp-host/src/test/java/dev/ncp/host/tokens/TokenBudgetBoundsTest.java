package dev.ncp.host.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.model.Thinking;
import dev.ncp.host.error.ApiError;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The budget decided from an input's bounds is the one its exact count gives; the exact count is waited for only
 * when the bounds do not settle it.
 */
class TokenBudgetBoundsTest {

    private static final ModelInfo MODEL = new ModelInfo("qwen/qwen3-coder-480b-a35b-instruct", "qwen3-coder",
            List.of(), 131_072, 16_384, ModelInfo.Capabilities.TOOLS_ONLY, "none", List.of(), Map.of());

    private final TokenBudget budget = new TokenBudget(Optional.empty(), Optional.empty(), 1_000_000);

    /** An exact count that is not done yet and records whether anyone waited for it. */
    private static final class PendingCount extends CompletableFuture<Integer> {
        private final int count;
        private boolean waitedFor;

        PendingCount(int count) {
            this.count = count;
        }

        @Override
        public Integer join() {
            waitedFor = true;
            return count;
        }
    }

    private record Input(InputTokens tokens, PendingCount exact) {
        static Input of(int lower, int exact, int upper) {
            var count = new PendingCount(exact);
            return new Input(new InputTokens(lower, upper, count), count);
        }
    }

    @Test
    void boundsFarBelowTheWindowDecideWithoutTheExactCount() {
        // A fresh 100 KB Claude Code request: ~25k tokens, at most ~100k by its bytes; 32000 wanted.
        var input = Input.of(800, 25_000, 100_000);
        TokenBudget.Decision decision = budget.decide(32_000, input.tokens(), MODEL, Thinking.ABSENT);
        assertFalse(input.exact().waitedFor);
        assertEquals(budget.decide(32_000, 25_000, MODEL, Thinking.ABSENT), decision);
        assertEquals(16_384, decision.maxTokens());
    }

    @Test
    void boundsStraddlingTheContextClampWaitForTheExactCount() {
        // At 100k the window would leave 30,816 tokens: fine; at 120k only 10,816, below the model's 16,384.
        var input = Input.of(90_000, 100_000, 120_000);
        TokenBudget.Decision decision = budget.decide(32_000, input.tokens(), MODEL, Thinking.ABSENT);
        assertTrue(input.exact().waitedFor);
        assertEquals(budget.decide(32_000, 100_000, MODEL, Thinking.ABSENT), decision);
    }

    @Test
    void anUpperBoundBeyondTheWindowWaitsForTheExactCountAndRefusesWithIt() {
        var input = Input.of(100_000, 140_000, 400_000);
        var e = assertThrows(ApiError.class, () -> budget.decide(1_000, input.tokens(), MODEL, Thinking.ABSENT));
        assertTrue(input.exact().waitedFor);
        assertEquals("prompt is too long: 140000 tokens > 131072 maximum", e.getMessage());
    }

    @Test
    void anUpperBoundBeyondTheWindowWithAFittingExactCountIsNotRefused() {
        var input = Input.of(10_000, 20_000, 200_000);
        assertEquals(16_384, budget.decide(1_000_000, input.tokens(), MODEL, Thinking.ABSENT).maxTokens());
        assertTrue(input.exact().waitedFor);
    }

    @Test
    void boundsBothLeavingNoRoomDecideMaxTokensOfOne() {
        // Every count in 130,900..131,000 leaves no room beside the template headroom: 1 either way.
        var input = Input.of(130_900, 130_950, 131_000);
        assertEquals(1, budget.decide(16_384, input.tokens(), MODEL, Thinking.ABSENT).maxTokens());
        assertFalse(input.exact().waitedFor);
    }

    @Test
    void boundsJustBelowTheClampDecideAndOneTokenMoreDoesNot() {
        int lastFree = MODEL.contextWindow() - TokenBudget.TEMPLATE_HEADROOM - 16_384; // room is exactly 16,384
        var fits = Input.of(1_000, 5_000, lastFree);
        assertEquals(16_384, budget.decide(20_000, fits.tokens(), MODEL, Thinking.ABSENT).maxTokens());
        assertFalse(fits.exact().waitedFor);
        var over = Input.of(1_000, 5_000, lastFree + 1);
        assertEquals(16_384, budget.decide(20_000, over.tokens(), MODEL, Thinking.ABSENT).maxTokens());
        assertTrue(over.exact().waitedFor);
    }

    @Test
    void aThinkingBudgetIsDecidedFromTheBoundsToo() {
        var input = Input.of(500, 2_000, 8_000);
        TokenBudget.Decision decision = budget.decide(32_000, input.tokens(), MODEL,
                new Thinking(Thinking.Mode.ENABLED, 20_000, null));
        assertFalse(input.exact().waitedFor);
        assertEquals(budget.decide(32_000, 2_000, MODEL, new Thinking(Thinking.Mode.ENABLED, 20_000, null)), decision);
    }
}
