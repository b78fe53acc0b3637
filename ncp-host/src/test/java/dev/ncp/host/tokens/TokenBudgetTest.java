package dev.ncp.host.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.api.error.ErrorType;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.model.Thinking;
import dev.ncp.host.error.ApiError;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenBudgetTest {

    private static final ModelInfo MODEL = new ModelInfo("qwen/qwen3-coder-480b-a35b-instruct", "qwen3-coder",
            List.of(), 131_072, 16_384, ModelInfo.Capabilities.TOOLS_ONLY, "none", List.of(), Map.of());

    private final TokenBudget none = new TokenBudget(Optional.empty(), Optional.empty());

    @Test
    void claudeCodesHugeMaxTokensIsClampedToTheModelsMaxOutput() {
        assertEquals(16_384, none.decide(128_000, 20_000, MODEL, Thinking.ABSENT).maxTokens());
        assertEquals(16_384, none.decide(32_000, 20_000, MODEL, Thinking.ABSENT).maxTokens());
    }

    @Test
    void anOmittedMaxTokensUsesTheConfiguredDefaultElseTheModelsMaxOutput() {
        assertEquals(16_384, none.decide(null, 1_000, MODEL, Thinking.ABSENT).maxTokens());
        var withDefault = new TokenBudget(Optional.of(12_000), Optional.empty());
        assertEquals(12_000, withDefault.decide(null, 1_000, MODEL, Thinking.ABSENT).maxTokens());
    }

    @Test
    void theHardCapAppliesToExplicitValues() {
        var hard = new TokenBudget(Optional.empty(), Optional.of(8_000));
        assertEquals(8_000, hard.decide(64_000, 1_000, MODEL, Thinking.ABSENT).maxTokens());
        assertEquals(500, hard.decide(500, 1_000, MODEL, Thinking.ABSENT).maxTokens());
    }

    @Test
    void outputShrinksSoInputPlusOutputFitsTheContextWindow() {
        int input = 125_000;
        int max = none.decide(16_384, input, MODEL, Thinking.ABSENT).maxTokens();
        assertEquals(131_072 - TokenBudget.TEMPLATE_HEADROOM - input, max);
    }

    @Test
    void anInputThatAloneOverflowsIsRefusedWithAnthropicsWording() {
        var e = assertThrows(ApiError.class, () -> none.decide(1_000, 140_000, MODEL, Thinking.ABSENT));
        assertEquals(ErrorType.INVALID_REQUEST, e.type());
        assertEquals(400, e.status());
        assertEquals("prompt is too long: 140000 tokens > 131072 maximum", e.getMessage());
    }

    @Test
    void anInputThatFitsButLeavesHardlyAnyRoomGetsMaxTokensClampedDownToOneNotARefusal() {
        assertEquals(1, none.decide(16_384, 131_000, MODEL, Thinking.ABSENT).maxTokens());
        assertEquals(1, none.decide(16_384, 131_072, MODEL, Thinking.ABSENT).maxTokens(), "exactly the window");
        assertEquals(100, none.decide(16_384, 131_072 - TokenBudget.TEMPLATE_HEADROOM - 100, MODEL,
                Thinking.ABSENT).maxTokens());
        assertThrows(ApiError.class, () -> none.decide(16_384, 131_073, MODEL, Thinking.ABSENT));
    }

    @Test
    void aThinkingBudgetStaysBelowAMaxTokensClampedByTheContextWindow() {
        var thinking = new Thinking(Thinking.Mode.ENABLED, 8_000, null);
        TokenBudget.Decision d = none.decide(16_000, 131_072 - TokenBudget.TEMPLATE_HEADROOM - 2_000, MODEL,
                thinking);
        assertEquals(2_000, d.maxTokens());
        assertEquals(1_500, d.thinkingBudget());
    }

    @Test
    void aThinkingBudgetStaysBelowTheClampedMaxTokens() {
        var thinking = new Thinking(Thinking.Mode.ENABLED, 31_999, null);
        TokenBudget.Decision d = none.decide(64_000, 1_000, MODEL, thinking);
        assertEquals(16_384, d.maxTokens());
        assertTrue(d.thinkingBudget() < d.maxTokens(), d.toString());
        assertEquals(16_384 - 1024, d.thinkingBudget());
        assertNull(none.decide(64_000, 1_000, MODEL, Thinking.ABSENT).thinkingBudget());
        assertEquals(2_000, none.decide(8_000, 1_000, MODEL, new Thinking(Thinking.Mode.ENABLED, 2_000, null))
                .thinkingBudget());
    }
}
