package dev.ncp.host.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.host.anthropic.ContentBlock;
import dev.ncp.host.anthropic.Fixtures;
import dev.ncp.host.anthropic.MessagesRequest;
import dev.ncp.host.anthropic.MessagesRequestParser;
import dev.ncp.host.config.ConfigException;
import dev.ncp.host.config.ScenarioRoutes;
import dev.ncp.host.tokens.TokenEstimator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which scenario a request falls into, in claude-code-router's order, and what the route says. */
class ScenarioRouterTest {

    private static final ModelRegistry REGISTRY = ModelRegistry.build(List.of(), Optional.empty());
    private static final TokenEstimator TOKENS = new TokenEstimator(Fixtures.JSON);
    private static final MessagesRequestParser PARSER = new MessagesRequestParser(Fixtures.JSON);
    private static final String PNG = "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":"
            + "\"image/png\",\"data\":\"iVBORw0KGgo=\"}}";

    private static final ScenarioRoutes ALL = new ScenarioRoutes(Optional.of("claude-llama-3-3"),
            Optional.of("claude-deepseek-v4"), Optional.of("claude-llama4-scout"), 5_000,
            Optional.of("claude-llama4-maverick"), Optional.of("claude-qwen3"));

    private static MessagesRequest fixture(String name) {
        return PARSER.parse(Fixtures.body(name));
    }

    private static MessagesRequest request(String json) {
        return PARSER.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static ScenarioRouter.Routed route(ScenarioRoutes routes, MessagesRequest request, boolean subagent) {
        return new ScenarioRouter(routes, REGISTRY, TOKENS).route(request, REGISTRY.resolve(request.model()), subagent);
    }

    private static final String SMALL_THINKING = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":4096,\"thinking\":"
            + "{\"type\":\"enabled\",\"budget_tokens\":2048},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void withoutRoutesEveryRequestGoesWhereItsNameResolves() {
        MessagesRequest r = fixture("opus-default--001-POST-v1-messages.json");
        ScenarioRouter.Routed routed = route(ScenarioRoutes.NONE, r, true);
        assertSame(r, routed.request());
        assertEquals("family:opus", routed.resolution().route());
        assertEquals("qwen/qwen3-coder-480b-a35b-instruct", routed.resolution().model().id());
    }

    @Test
    void thinkingRequestsTakeTheThinkRoute() {
        var routes = new ScenarioRoutes(Optional.empty(), Optional.of("claude-deepseek-v4"), Optional.empty(),
                60_000, Optional.empty(), Optional.empty());
        ScenarioRouter.Routed routed = route(routes, fixture("opus-default--001-POST-v1-messages.json"), false);
        assertEquals("scenario:think->alias", routed.resolution().route());
        assertEquals("deepseek-ai/deepseek-v4-pro", routed.resolution().model().id());
        assertEquals("claude-opus-5-5", routed.resolution().requested());
        assertEquals("family:sonnet",
                route(routes, fixture("thinking-disabled--001-POST-v1-messages.json"), false).resolution().route());
    }

    @Test
    void longContextComesFirst() {
        ScenarioRouter.Routed routed = route(ALL, fixture("opus-default--001-POST-v1-messages.json"), true);
        assertEquals("scenario:longContext->alias", routed.resolution().route());
        assertEquals("meta/llama-4-scout-17b-16e-instruct", routed.resolution().model().id());
    }

    @Test
    void subagentsComeBeforeBackgroundAndThink() {
        MessagesRequest haiku = request(SMALL_THINKING.replace("claude-sonnet-4-5", "claude-3-5-haiku-20241022"));
        assertEquals("scenario:subagent->alias", route(ALL, haiku, true).resolution().route());
        assertEquals("qwen/qwen3-235b-a22b", route(ALL, haiku, true).resolution().model().id());
        assertEquals("scenario:background->alias", route(ALL, haiku, false).resolution().route());
        assertEquals("scenario:think->alias", route(ALL, request(SMALL_THINKING), false).resolution().route());
    }

    @Test
    void theCcrSubagentTagPicksTheModelAndLeavesThePrompt() {
        MessagesRequest r = request("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"system\":[{\"type\":"
                + "\"text\",\"text\":\"You are Claude Code.\"},{\"type\":\"text\",\"text\":\"<CCR-SUBAGENT-MODEL>nim,"
                + "claude-llama-3-3</CCR-SUBAGENT-MODEL>\\nYou review code.\"}],\"messages\":[{\"role\":\"user\","
                + "\"content\":\"review\"}]}");
        ScenarioRouter.Routed routed = route(ScenarioRoutes.NONE, r, false);
        assertEquals("scenario:subagent->alias", routed.resolution().route());
        assertEquals("meta/llama-3.3-70b-instruct", routed.resolution().model().id());
        assertEquals(Optional.of("claude-llama-3-3"), routed.clientChosen());
        assertEquals(List.of(new ContentBlock.Text("You are Claude Code."), new ContentBlock.Text("You review code.")),
                routed.request().system());
    }

    @Test
    void aTagNamingNothingIsRemovedAndIgnored() {
        MessagesRequest r = request("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"system\":\"<CCR-SUBAGENT-"
                + "MODEL>gpt-5</CCR-SUBAGENT-MODEL>Hi\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        ScenarioRouter.Routed routed = route(ScenarioRoutes.NONE, r, false);
        assertEquals("family:sonnet", routed.resolution().route());
        assertEquals(Optional.empty(), routed.clientChosen());
        assertEquals(List.of(new ContentBlock.Text("Hi")), routed.request().system());
    }

    @Test
    void imagesGoToTheVisionRouteOnlyWhenTheChosenModelCannotSee() {
        String withImage = "{\"model\":\"MODEL\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":["
                + PNG + ",{\"type\":\"text\",\"text\":\"what is it\"}]}]}";
        var onlyImage = new ScenarioRoutes(Optional.empty(), Optional.empty(), Optional.empty(), 60_000,
                Optional.of("claude-llama4-maverick"), Optional.empty());
        ScenarioRouter.Routed routed = route(onlyImage, request(withImage.replace("MODEL", "claude-opus-4-7")), false);
        assertEquals("scenario:image->alias", routed.resolution().route());
        assertEquals("meta/llama-4-maverick-17b-128e-instruct", routed.resolution().model().id());
        assertEquals("alias", route(onlyImage, request(withImage.replace("MODEL", "claude-llama4-scout")), false)
                .resolution().route());
    }

    @Test
    void anImageInAToolResultCountsAndOverridesANonVisionScenario() {
        MessagesRequest r = request("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":4096,\"thinking\":{\"type\":"
                + "\"adaptive\"},\"messages\":[{\"role\":\"user\",\"content\":\"shot\"},{\"role\":\"assistant\","
                + "\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"screenshot\",\"input\":{}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":["
                + PNG + "]}]}]}");
        assertEquals("scenario:image->alias", route(ALL, r, false).resolution().route());
    }

    @Test
    void aNimIdIsAnExplicitChoiceAndNeverRerouted() {
        MessagesRequest r = request(SMALL_THINKING.replace("claude-sonnet-4-5", "qwen/qwen3-235b-a22b")
                .replace("\"max_tokens\"", "\"system\":\"<CCR-SUBAGENT-MODEL>claude-r1</CCR-SUBAGENT-MODEL>Hi\","
                        + "\"max_tokens\""));
        ScenarioRouter.Routed routed = route(ALL, r, true);
        assertEquals("direct", routed.resolution().route());
        assertEquals(List.of(new ContentBlock.Text("Hi")), routed.request().system());
        assertFalse(routed.clientChosen().isPresent());
    }

    @Test
    void aRouteNamingNoModelStopsStartup() {
        var bad = new ScenarioRoutes(Optional.empty(), Optional.of("gpt-5"), Optional.empty(), 60_000,
                Optional.empty(), Optional.empty());
        var e = assertThrows(ConfigException.class, () -> new ScenarioRouter(bad, REGISTRY, TOKENS));
        assertTrue(e.getMessage().startsWith("NCP_ROUTE_THINK=gpt-5 is not valid: it names no model ncp knows"),
                e.getMessage());
    }

    @Test
    void theStartupSummaryListsRoutesInPrecedenceOrder() {
        assertEquals(List.of(), ScenarioRoutes.NONE.summary());
        assertEquals(List.of("longContext (> 5000 tokens) → claude-llama4-scout", "subagent → claude-qwen3",
                "background → claude-llama-3-3", "think → claude-deepseek-v4", "image → claude-llama4-maverick"),
                ALL.summary());
    }
}
