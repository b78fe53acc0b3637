package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ncp.host.testing.EveryOffsetCuts;
import dev.ncp.host.testing.Fixtures;
import dev.ncp.host.testing.GuardFixtures.Case;
import dev.ncp.host.testing.GuardFixtures;
import dev.ncp.host.testing.HttpCalls;
import dev.ncp.host.testing.PrometheusText;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The open models' tool-call mistakes ({@code fixtures/upstream/guard-*.sse}, INDEX.md says what each must give)
 * through a whole ncp with no model plugin — the guard alone repairs them — whole and cut so that every byte offset
 * is a piece boundary in some play ({@link EveryOffsetCuts}): read by the official Anthropic SDK streamed
 * (accumulated) and not, and as raw SSE (Anthropic's grammar, each tool block's {@code partial_json} concatenating
 * to exactly its input). Each must give the message INDEX.md describes, and the guard must count what it did in
 * {@code ncp_guard_interventions_total}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuardFixturesThroughProxyTest {

    private static final String MODEL = "claude-opus-5-5";

    private ProxyHarness h;

    @BeforeAll
    void start() {
        h = ProxyHarness.start();
    }

    @AfterAll
    void stop() {
        h.close();
    }

    static List<Case> fixtures() {
        return GuardFixtures.CASES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyCutGivesTheRepairedMessageToTheSdkAndOnTheWire(Case c) {
        byte[] body = Fixtures.upstream(c.fixture());

        PrometheusText before = metrics();
        assertMessage(c, nonStreamed(Script.stream(body)), "whole, not streamed");
        PrometheusText after = metrics();
        assertEquals(c.counted() == null ? 0 : 1, guardTotal(after) - guardTotal(before),
                "interventions counted for one answer");
        if (c.counted() != null) {
            assertEquals(1, interventions(after, c.counted()) - interventions(before, c.counted()), c.counted()
                    + " counted");
        }
        assertMessage(c, streamed(Script.stream(body)), "whole, streamed");
        assertWire(c, Script.stream(body), "whole");
        for (int[] plan : EveryOffsetCuts.plans(body.length)) {
            String how = EveryOffsetCuts.describe(plan);
            assertMessage(c, streamed(Script.stream(body).cutAt(plan)), how + ", streamed");
            assertMessage(c, nonStreamed(Script.stream(body).cutAt(plan)), how + ", not streamed");
            assertWire(c, Script.stream(body).cutAt(plan), how);
        }
    }

    private static void assertMessage(Case c, Message message, String how) {
        assertEquals(c.content(), GuardFixtures.comparable(message), c.fixture() + " " + how);
        assertEquals(c.stopReason(), message.stopReason().orElseThrow().asString(),
                c.fixture() + " " + how + ": stop_reason");
    }

    /** The raw stream: Anthropic's grammar, input deltas adding up to the input, the same blocks. */
    private void assertWire(Case c, Script script, String how) {
        h.upstream().enqueue(script);
        var reply = Wire.post(h, "/v1/messages", GuardFixtures.requestJson(MODEL, true));
        assertEquals(200, reply.status(), reply.text());
        SseEvents events = SseEvents.parse(reply.body());
        Map<Integer, String> inputs = events.assertGrammar();
        var blocks = new LinkedHashMap<Integer, ObjectNode>();
        for (SseEvents.Event e : events.content()) {
            int index = e.data().path("index").asInt(-1);
            switch (e.event()) {
                case "content_block_start" -> blocks.put(index, (ObjectNode) e.data().path("content_block").deepCopy());
                case "content_block_delta" -> {
                    JsonNode delta = e.data().path("delta");
                    if (delta.path("type").asText().equals("text_delta")) {
                        ObjectNode block = blocks.get(index);
                        block.put("text", block.path("text").asText() + delta.path("text").asText());
                    }
                }
                default -> { }
            }
        }
        inputs.forEach((index, input) -> blocks.get(index).set("input", Wire.json(input)));
        ArrayNode content = Wire.JSON.createArrayNode();
        blocks.values().forEach(content::add);
        assertEquals(c.content(), GuardFixtures.comparable(content), c.fixture() + " " + how + ", raw SSE");
        String stop = events.first("message_delta").data().path("delta").path("stop_reason").asText();
        assertEquals(c.stopReason(), stop, c.fixture() + " " + how + ", raw SSE stop_reason");
    }

    private Message streamed(Script script) {
        h.upstream().enqueue(script);
        var acc = MessageAccumulator.create();
        try (var stream = h.client().messages().createStreaming(GuardFixtures.params(MODEL))) {
            stream.stream().forEach(acc::accumulate);
        }
        return acc.message();
    }

    private Message nonStreamed(Script script) {
        h.upstream().enqueue(script);
        return h.client().messages().create(GuardFixtures.params(MODEL));
    }

    private static double interventions(PrometheusText metrics, String kind) {
        return metrics.sum("ncp_guard_interventions_total", "kind", kind);
    }

    private static double guardTotal(PrometheusText metrics) {
        return metrics.sum("ncp_guard_interventions_total");
    }

    private PrometheusText metrics() {
        return PrometheusText.parse(HttpCalls.text(HttpCalls.get(h.baseUrl(), "/metrics", Map.of())));
    }
}
