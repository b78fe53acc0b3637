package dev.ncp.host.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ncp.host.anthropic.Fixtures;
import dev.ncp.host.anthropic.MessagesRequest;
import dev.ncp.host.anthropic.MessagesRequestParser;
import dev.ncp.host.config.ScenarioRoutes;
import dev.ncp.host.tokens.TokenEstimator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The longContext route decides from the input's bounds only when they settle it (upper bound at or below the
 * threshold); above it, the exact count decides, so the route is the one the exact count always gave.
 */
class LongContextBoundsTest {

    private static final int THRESHOLD = 5_000;
    private static final ModelRegistry REGISTRY = ModelRegistry.build(List.of(), Optional.empty());
    private static final MessagesRequestParser PARSER = new MessagesRequestParser(Fixtures.JSON);
    private static final ScenarioRoutes LONG_CONTEXT_ONLY = new ScenarioRoutes(Optional.empty(), Optional.empty(),
            Optional.of("claude-llama4-scout"), THRESHOLD, Optional.empty(), Optional.empty());

    private static ScenarioRouter.Routed route(String userText) {
        ObjectNode body = Fixtures.JSON.createObjectNode().put("model", "claude-sonnet-4-5").put("max_tokens", 1024);
        body.putArray("messages").addObject().put("role", "user").put("content", userText);
        MessagesRequest request = PARSER.parse(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        var router = new ScenarioRouter(LONG_CONTEXT_ONLY, REGISTRY, new TokenEstimator(Fixtures.JSON));
        return router.route(request, REGISTRY.resolve(request.model()), false);
    }

    @Test
    void anUpperBoundAtTheThresholdSettlesItWithoutTheRoute() {
        ScenarioRouter.Routed routed = route("Fix the failing test in the parser. ".repeat(50));
        assertTrue(routed.inputTokens().upper() <= THRESHOLD, routed.inputTokens().toString());
        assertEquals("family:sonnet", routed.resolution().route());
    }

    @Test
    void anUpperBoundAboveTheThresholdLetsTheExactCountDecide() {
        // 12,000 bytes of English: the bound allows 12,000 tokens, the count is ~2,000.
        ScenarioRouter.Routed routed = route("Fix the failing test in the parser. ".repeat(333));
        assertTrue(routed.inputTokens().exact() < THRESHOLD, routed.inputTokens().toString());
        assertEquals("family:sonnet", routed.resolution().route());
    }

    @Test
    void anExactCountAboveTheThresholdTakesTheRoute() {
        var text = new StringBuilder();
        for (int i = 0; text.length() < 60_000; i++) {
            text.append("line ").append(i).append(": value_").append(i * 7919 % 10_007).append('\n');
        }
        ScenarioRouter.Routed routed = route(text.toString());
        assertTrue(routed.inputTokens().exact() > THRESHOLD, routed.inputTokens().toString());
        assertEquals("scenario:longContext->alias", routed.resolution().route());
    }
}
