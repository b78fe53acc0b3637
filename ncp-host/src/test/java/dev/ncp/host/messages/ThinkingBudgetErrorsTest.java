package dev.ncp.host.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.errors.BadRequestException;
import com.anthropic.models.messages.MessageCreateParams;
import dev.ncp.host.testing.ProxyHarness;
import org.junit.jupiter.api.Test;

/** A thinking budget Anthropic would refuse is refused the same way, before anything goes upstream. */
class ThinkingBudgetErrorsTest {

    private static MessageCreateParams ask(long maxTokens, long budget) {
        return MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(maxTokens).enabledThinking(budget)
                .addUserMessage("Think about it").build();
    }

    private static BadRequestException refused(ProxyHarness h, MessageCreateParams params) {
        var e = assertThrows(BadRequestException.class, () -> h.client().messages().create(params));
        assertEquals(400, e.statusCode());
        assertTrue(e.getMessage().contains("invalid_request_error"), e.getMessage());
        assertFalse(e.headers().values("request-id").isEmpty(), "every error carries a request id");
        return e;
    }

    @Test
    void aBudgetBelow1024IsA400WordedLikeAnthropics() {
        try (var h = ProxyHarness.start()) {
            var e = refused(h, ask(4096, 1023));
            assertTrue(e.getMessage().contains(
                    "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"), e.getMessage());
            assertEquals(0, h.upstream().requests().size());
        }
    }

    @Test
    void aBudgetNotBelowMaxTokensIsA400WordedLikeAnthropics() {
        try (var h = ProxyHarness.start()) {
            for (long budget : new long[] {2048, 4096}) {
                var e = refused(h, ask(2048, budget));
                assertTrue(e.getMessage().contains("`max_tokens` must be greater than `thinking.budget_tokens`"),
                        e.getMessage());
            }
            assertEquals(0, h.upstream().requests().size());
        }
    }
}
