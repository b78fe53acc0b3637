package dev.ncp.plugin.kimi;

import static dev.ncp.host.testing.AnswerHarness.TOOL_IDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.model.Thinking;
import dev.ncp.api.stream.StopReason;
import dev.ncp.host.sse.ResponseMessage.Block;
import dev.ncp.host.sse.ResponseMessage.Text;
import dev.ncp.host.sse.ResponseMessage.ToolUse;
import dev.ncp.host.testing.AdapterAnswers;
import dev.ncp.host.testing.AnswerHarness;
import dev.ncp.host.testing.AnswerHarness.Outcome;
import dev.ncp.host.testing.Fixtures;
import dev.ncp.host.testing.UpstreamSse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kimi K2 answers through the real response path with the adapter's processors. */
class KimiToolCallsTest {

    private static final KimiAdapter ADAPTER = new KimiAdapter();
    private static final String K2 = "moonshotai/kimi-k2-instruct";
    private static final Map<String, Map<String, Object>> TOOLS = Map.of(
            "Read", Map.of("type", "object", "properties", Map.of("file_path", Map.of("type", "string"))),
            "Grep", Map.of("type", "object", "properties", Map.of("pattern", Map.of("type", "string"))));

    private static ShapingContext k2() {
        ModelInfo model = ADAPTER.models().stream().filter(m -> m.id().equals(K2)).findFirst().orElseThrow();
        return AdapterAnswers.shaping(model, TOOLS, Thinking.ABSENT);
    }

    private static JsonNode json(String text) {
        try {
            return AnswerHarness.JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    @Test
    void aParsedCallsKimiIdBecomesAToolUseIdThatMapsBack() {
        Outcome outcome = AdapterAnswers.aggregate(ADAPTER, k2(), Fixtures.upstream("kimi-tool-call-id.sse"));
        assertNull(outcome.error(), outcome::errorText);
        String id = TOOL_IDS.toClient("functions.Read:0");
        assertEquals(List.of(new Text("Reading it now."),
                new ToolUse(id, "Read", json("{\"file_path\": \"/repo/README.md\"}"))), outcome.message().content());
        assertTrue(id.matches("toolu_[0-9A-Za-z]+"), id);
        assertEquals("functions.Read:0", TOOL_IDS.toUpstream(id));
        assertEquals(StopReason.TOOL_USE, outcome.message().stopReason());
    }

    static final String SECTION_IN_TEXT = "I'll search first.<|tool_calls_section_begin|><|tool_call_begin|>"
            + "functions.Grep:0<|tool_call_argument_begin|>{\"pattern\": \"TODO\"}<|tool_call_end|>"
            + "<|tool_call_begin|>functions.Read:1<|tool_call_argument_begin|>{\"file_path\": \"/repo/a.py\"}"
            + "<|tool_call_end|><|tool_calls_section_end|><|im_end|>";

    private static final List<Block> SECTION_BLOCKS = List.of(new Text("I'll search first."),
            new ToolUse(TOOL_IDS.toClient("functions.Grep:0"), "Grep", json("{\"pattern\": \"TODO\"}")),
            new ToolUse(TOOL_IDS.toClient("functions.Read:1"), "Read", json("{\"file_path\": \"/repo/a.py\"}")));

    @Test
    void aToolCallSectionWrittenAsTextBecomesToolUsesWhoseIdsMapBackSplitAnywhere() {
        for (int cut = 1; cut < SECTION_IN_TEXT.length(); cut++) {
            byte[] body = UpstreamSse.content(K2, List.of(SECTION_IN_TEXT.substring(0, cut),
                    SECTION_IN_TEXT.substring(cut)), "stop");
            Outcome outcome = AdapterAnswers.aggregate(ADAPTER, k2(), body);
            assertEquals(SECTION_BLOCKS, outcome.message().content(), "cut at " + cut);
            assertEquals(StopReason.TOOL_USE, outcome.message().stopReason());
        }
        byte[] oneCharDeltas = UpstreamSse.content(K2, UpstreamSse.pieces(SECTION_IN_TEXT, 1), "stop");
        assertEquals(SECTION_BLOCKS, AdapterAnswers.aggregate(ADAPTER, k2(), oneCharDeltas).message().content());
    }

    @Test
    void noSpecialTokenReachesAStreamingClient() {
        String answer = "Done<|im_end|>. The file <|tool_calls_section_end|>is fine.<|im_end|>";
        byte[] sse = AdapterAnswers.sse(ADAPTER, k2(), UpstreamSse.content(K2, UpstreamSse.pieces(answer, 4), "stop"));
        String wire = new String(sse, StandardCharsets.UTF_8);
        assertFalse(wire.contains("<|"), wire);
        var m = AdapterAnswers.accumulate(sse);
        assertEquals("Done. The file is fine.", m.content().get(0).asText().text());
        assertEquals(com.anthropic.models.messages.StopReason.END_TURN, m.stopReason().orElseThrow());
    }

    @Test
    void aBrokenSectionKeepsItsTextWithoutTheTokens() {
        String answer = "Trying.<|tool_calls_section_begin|><|tool_call_begin|>functions.Read:0"
                + "<|tool_call_argument_begin|>{\"file_path\": <|tool_call_end|><|tool_calls_section_end|>";
        Outcome outcome = AdapterAnswers.aggregate(ADAPTER, k2(), UpstreamSse.content(K2, List.of(answer), "stop"));
        assertEquals(List.of(new Text("Trying.functions.Read:0{\"file_path\": ")), outcome.message().content());
        assertEquals(StopReason.END_TURN, outcome.message().stopReason());
    }
}
