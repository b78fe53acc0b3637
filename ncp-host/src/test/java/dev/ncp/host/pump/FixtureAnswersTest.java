package dev.ncp.host.pump;

import static dev.ncp.host.testing.AnswerHarness.CLIENT_MODEL;
import static dev.ncp.host.testing.AnswerHarness.JSON;
import static dev.ncp.host.testing.AnswerHarness.MESSAGE_ID;
import static dev.ncp.host.testing.AnswerHarness.SIGNER;
import static dev.ncp.host.testing.AnswerHarness.TOOL_IDS;
import static dev.ncp.host.testing.AnswerHarness.aggregate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.api.error.ErrorType;
import dev.ncp.api.stream.StopReason;
import dev.ncp.api.stream.Usage;
import dev.ncp.host.sse.ResponseMessage.Block;
import dev.ncp.host.sse.ResponseMessage.Text;
import dev.ncp.host.sse.ResponseMessage.Thinking;
import dev.ncp.host.sse.ResponseMessage.ToolUse;
import dev.ncp.host.sse.ResponseMessage;
import dev.ncp.host.testing.AnswerHarness.Outcome;
import dev.ncp.host.testing.AnswerHarness;
import dev.ncp.host.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every recorded upstream stream, through the whole response path, gives the message INDEX.md describes. */
class FixtureAnswersTest {

    @Test
    void plainTextWithUsageInATrailingChunkCarriesTheRealUsageAndCacheReads() {
        assertMessage("text-stop-usage-last.sse", AnswerHarness.plainSpec(),
                List.of(new Text("Hello! I can help with that. Here is a short answer with unicode: "
                        + "na\u00efve caf\u00e9 \u2014 \u2713 \u65e5\u672c\u8a9e.")),
                StopReason.END_TURN, null, new Usage(1234 - 1024, 31, 1024, 0));
    }

    @Test
    void textThenToolCallStreamsTheArgumentsAndStopsForToolUse() {
        assertMessage("text-then-tool-call.sse", AnswerHarness.plainSpec(),
                List.of(new Text("Let me check."),
                        new ToolUse(TOOL_IDS.toClient("chatcmpl-tool-9f2c"), "Bash",
                                json("{\"command\": \"ls -la /tmp && echo \\\"done\\\"\", \"description\": \"List files\"}"))),
                StopReason.TOOL_USE, null, new Usage(5210, 48, 0, 0));
    }

    @Test
    void interleavedParallelToolCallsEachGetExactlyTheirOwnJson() {
        assertMessage("parallel-tool-calls-interleaved.sse", AnswerHarness.plainSpec(),
                List.of(new ToolUse(TOOL_IDS.toClient("call_r0"), "Read",
                                json("{\"file_path\": \"/repo/src/Main.java\"}")),
                        new ToolUse(TOOL_IDS.toClient("call_g1"), "Grep",
                                json("{\"pattern\": \"TODO\", \"path\": \"/repo\"}"))),
                StopReason.TOOL_USE, null, new Usage(8000, 60, 0, 0));
    }

    @Test
    void toolCallFollowedByFinishStopStillStopsForToolUse() {
        assertMessage("tool-call-finish-stop.sse", AnswerHarness.plainSpec(),
                List.of(new ToolUse(TOOL_IDS.toClient("chatcmpl-tool-11"), "TodoWrite",
                        json("{\"todos\": [{\"content\": \"Write tests\", \"status\": \"pending\", "
                                + "\"activeForm\": \"Writing tests\"}]}"))),
                StopReason.TOOL_USE, null, new Usage(3000, 40, 0, 0));
    }

    @Test
    void reasoningContentBecomesASignedThinkingBlockBeforeTheText() {
        String thinking = "The user asks for 17*23. 17*20=340, 17*3=51, total 391.";
        assertMessage("reasoning-content-then-text.sse",
                AnswerHarness.spec(AnswerHarness.model("deepseek-ai/deepseek-r1", true), List.of()),
                List.of(new Thinking(thinking, SIGNER.sign(thinking)), new Text("The answer is 391.")),
                StopReason.END_TURN, null, new Usage(40, 70, 0, 0));
    }

    @Test
    void inlineThinkTagsBecomeAThinkingBlockAndNoTagReachesTheText() {
        String thinking = "The user wants a haiku about Java. Count syllables.\n";
        assertMessage("think-tags-in-content.sse", AnswerHarness.reasoningSpec(),
                List.of(new Thinking(thinking, SIGNER.sign(thinking)),
                        new Text("Virtual threads hum\nrecords sealed, patterns matched\nthe heap breathes again")),
                StopReason.END_TURN, null, new Usage(60, 55, 0, 0));
    }

    @Test
    void finishLengthStopsForMaxTokens() {
        assertMessage("finish-length.sse", AnswerHarness.plainSpec(),
                List.of(new Text("This answer is cut off because it ran out of")),
                StopReason.MAX_TOKENS, null, new Usage(100, 16, 0, 0));
    }

    @Test
    void aMatchedStopSequenceIsReportedWithItsValue() {
        assertMessage("stop-sequence-matched.sse",
                AnswerHarness.spec(AnswerHarness.model("qwen/qwen3-coder-480b-a35b-instruct", false), List.of("###")),
                List.of(new Text("Step 1 done.")),
                StopReason.STOP_SEQUENCE, "###", new Usage(20, 4, 0, 0));
    }

    @Test
    void aStopStringTheClientDidNotAskForIsAnOrdinaryEndTurn() {
        Outcome outcome = aggregate(AnswerHarness.plainSpec(), Fixtures.upstream("stop-sequence-matched.sse"));
        assertEquals(StopReason.END_TURN, outcome.message().stopReason());
        assertNull(outcome.message().stopSequence());
    }

    @Test
    void aStreamCutOffWithoutFinishOrDoneIsAnApiErrorNeverASilentEndTurn() {
        Outcome outcome = aggregate(AnswerHarness.plainSpec(), Fixtures.upstream("truncated-no-done.sse"));
        assertNull(outcome.message());
        assertEquals(ErrorType.API, outcome.error().type());
        assertTrue(outcome.error().getMessage().contains("closed the stream before finishing"),
                outcome.error().getMessage());
    }

    @Test
    void kimiToolCallIdsBecomeValidToolUseIdsThatMapBack() {
        Outcome outcome = aggregate(AnswerHarness.plainSpec(), Fixtures.upstream("kimi-tool-call-id.sse"));
        String id = TOOL_IDS.toClient("functions.Read:0");
        assertEquals(expected(List.of(new Text("Reading it now."),
                        new ToolUse(id, "Read", json("{\"file_path\": \"/repo/README.md\"}"))),
                StopReason.TOOL_USE, null, new Usage(700, 20, 0, 0)), outcome.message());
        assertTrue(id.matches("toolu_[0-9A-Za-z]+"), id);
        assertEquals("functions.Read:0", TOOL_IDS.toUpstream(id));
    }

    @Test
    void toolNamesAreRestoredToTheClientsNames() {
        var base = AnswerHarness.plainSpec();
        var spec = new Attempt(base.messageId(), base.clientModel(), () -> 1000, base.shaping(),
                name -> name.equals("Bash") ? "mcp__shell.run" : name, base.chain(), base.chat(), base.call());
        Outcome outcome = aggregate(spec, Fixtures.upstream("text-then-tool-call.sse"));
        assertEquals("mcp__shell.run", ((ToolUse) outcome.message().content().get(1)).name());
    }

    @Test
    void qwenXmlToolCallInTextDoesNotBreakTheAnswer() {
        // Turning the XML into a tool_use is the Qwen model plugin's job; here the answer must simply complete.
        Outcome outcome = aggregate(AnswerHarness.plainSpec(), Fixtures.upstream("qwen3-coder-xml-tool-call-in-text.sse"));
        assertNotNull(outcome.message());
        assertEquals(new Usage(900, 50, 0, 0), outcome.message().usage());
    }

    private static void assertMessage(String fixture, Attempt spec, List<Block> content, StopReason reason,
                                      String stopSequence, Usage usage) {
        Outcome outcome = aggregate(spec, Fixtures.upstream(fixture));
        assertNull(outcome.error(), () -> outcome.errorText());
        assertEquals(expected(content, reason, stopSequence, usage), outcome.message());
    }

    private static ResponseMessage expected(List<Block> content, StopReason reason, String stopSequence, Usage usage) {
        return new ResponseMessage(MESSAGE_ID, CLIENT_MODEL, content, reason, stopSequence, usage);
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
