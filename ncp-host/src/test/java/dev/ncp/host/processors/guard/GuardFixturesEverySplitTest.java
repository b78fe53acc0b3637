package dev.ncp.host.processors.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.model.ShapingContext;
import dev.ncp.host.config.GuardSettings;
import dev.ncp.host.sse.MessageAggregator;
import dev.ncp.host.testing.AnswerHarness;
import dev.ncp.host.testing.Fixtures;
import dev.ncp.host.testing.GuardFixtures.Case;
import dev.ncp.host.testing.GuardFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The open models' tool-call mistakes through the real response path with the guard's links, in-process, cut into
 * two pieces at every byte offset on its own: where one cut costs microseconds, not a request. (Through a whole
 * proxy, {@code GuardFixturesThroughProxyTest} puts a boundary at every offset in fewer, many-piece plays.)
 */
class GuardFixturesEverySplitTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static List<Case> fixtures() {
        return GuardFixtures.CASES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyTwoPieceSplitGivesTheRepairedMessage(Case c) {
        byte[] body = Fixtures.upstream(c.fixture());
        assertRepaired(c, play(body), "whole");
        for (int cut = 1; cut < body.length; cut++) {
            assertRepaired(c, play(body, cut), "cut at " + cut);
        }
    }

    private static void assertRepaired(Case c, JsonNode message, String how) {
        assertEquals(c.content(), GuardFixtures.comparable(message.path("content")), c.fixture() + " " + how);
        assertEquals(c.stopReason(), message.path("stop_reason").asText(), c.fixture() + " " + how + ": stop_reason");
    }

    /** The whole message a non-streaming client would read, the answer fed cut at {@code cuts}. */
    private static JsonNode play(byte[] body, int... cuts) {
        var shaping = new ShapingContext(AnswerHarness.model("qwen/qwen3-coder-480b-a35b-instruct", false),
                AnswerHarness.CLIENT_MODEL, null, tools(), List.of());
        var guard = new OpenModelGuard(GuardSettings.defaults(), JSON);
        var aggregator = new MessageAggregator(AnswerHarness.JSON);
        AnswerHarness.feed(AnswerHarness.spec(shaping), AnswerHarness.chain(false, guard.processors(GuardEvents.NONE)),
                aggregator, body, cuts);
        try {
            return JSON.readTree(aggregator.messageJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The request's tools as the shaping carries them: name to JSON schema. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> tools() {
        var tools = new LinkedHashMap<String, Map<String, Object>>();
        GuardFixtures.TOOLS.forEach((name, properties) -> {
            try {
                tools.put(name, Map.of("type", "object", "properties", JSON.readValue(properties, Map.class)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return tools;
    }
}
