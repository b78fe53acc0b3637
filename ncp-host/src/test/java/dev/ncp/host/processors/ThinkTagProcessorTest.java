package dev.ncp.host.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ncp.api.stream.StopReason;
import dev.ncp.api.stream.StreamEvent.ContentBlockDelta;
import dev.ncp.api.stream.StreamEvent.ContentBlockStart;
import dev.ncp.api.stream.StreamEvent.ContentBlockStop;
import dev.ncp.api.stream.StreamEvent.MessageDelta;
import dev.ncp.api.stream.StreamEvent.MessageStart;
import dev.ncp.api.stream.StreamEvent.MessageStop;
import dev.ncp.api.stream.StreamEvent.TextBlock;
import dev.ncp.api.stream.StreamEvent.TextDelta;
import dev.ncp.api.stream.Usage;
import dev.ncp.host.pump.Attempt;
import dev.ncp.host.response.AnswerStreamContext;
import dev.ncp.host.sse.MessageAggregator;
import dev.ncp.host.sse.ResponseMessage.Text;
import dev.ncp.host.sse.ResponseMessage.Thinking;
import dev.ncp.host.sse.ResponseMessage;
import dev.ncp.host.testing.AnswerHarness;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThinkTagProcessorTest {

    /** Runs text deltas of one text block through think tags + finalizer; returns the content blocks. */
    private static List<ResponseMessage.Block> run(Attempt spec, List<String> deltas) {
        var aggregator = new MessageAggregator(AnswerHarness.JSON);
        var context = new AnswerStreamContext(spec.shaping(), AnswerHarness.ids());
        var run = AnswerHarness.chain(false).open(context, aggregator);
        run.emit(new MessageStart("msg_1", "m", Usage.ZERO));
        int key = context.newBlockKey();
        run.emit(new ContentBlockStart(key, new TextBlock()));
        for (String d : deltas) {
            run.emit(new ContentBlockDelta(key, new TextDelta(d)));
        }
        run.emit(new ContentBlockStop(key));
        run.complete();
        run.emit(new MessageDelta(StopReason.END_TURN, null, Usage.ZERO));
        run.emit(new MessageStop());
        return aggregator.message().content();
    }

    private static List<ResponseMessage.Block> reasoning(String... deltas) {
        return run(AnswerHarness.reasoningSpec(), List.of(deltas));
    }

    private static List<ResponseMessage.Block> expected(String thinking, String text) {
        var blocks = new ArrayList<ResponseMessage.Block>();
        if (thinking != null) {
            blocks.add(new Thinking(thinking, AnswerHarness.SIGNER.sign(thinking)));
        }
        if (text != null) {
            blocks.add(new Text(text));
        }
        return blocks;
    }

    @Test
    void tagsSplitAtAnyTwoOffsetsNeverLeakIntoText() {
        String answer = "<think>\nIs 7 < 8? Yes: 7 </thin is not a tag. Done.\n</think>\n\nYes, 7 < 8 <b>ok</b>.";
        var want = expected("Is 7 < 8? Yes: 7 </thin is not a tag. Done.\n", "Yes, 7 < 8 <b>ok</b>.");
        for (int i = 0; i <= answer.length(); i++) {
            for (int j = i; j <= answer.length(); j++) {
                var got = reasoning(answer.substring(0, i), answer.substring(i, j), answer.substring(j));
                assertEquals(want, got, "split at " + i + "," + j);
            }
        }
    }

    @Test
    void oneCharacterPerDeltaWorks() {
        String answer = "  <think>abc</think>xyz";
        assertEquals(expected("abc", "xyz"), reasoning(answer.split("")));
    }

    @Test
    void textWithoutTagsPassesUnchanged() {
        assertEquals(expected(null, "<html> is a tag, <think> later is not"),
                reasoning("<html> is a tag, ", "<think> later is not"));
    }

    @Test
    void aStartThatOnlyLooksLikeTheTagIsText() {
        assertEquals(expected(null, "<thinking aloud>"), reasoning("<thi", "nking aloud>"));
        assertEquals(expected(null, "<thi"), reasoning("<thi"));
    }

    @Test
    void anUnclosedThinkIsAllThinkingIncludingAHeldPartialTag() {
        assertEquals(expected("still going </thi", null), reasoning("<think>still going </thi"));
    }

    @Test
    void whitespaceOnlyAnswersProduceNoBlocks() {
        assertEquals(List.of(), reasoning("  ", "\n"));
    }

    @Test
    void modelsWithoutReasoningAreLeftAlone() {
        var plain = AnswerHarness.plainSpec();
        assertNull(new ThinkTagProcessor().open(new AnswerStreamContext(plain.shaping(), AnswerHarness.ids())));
        assertEquals(expected(null, "<think>x</think>y"), run(plain, List.of("<think>x</think>y")));
    }

    /** A reasoning model whose thinking is not on for this request: its content is never held for a bare tag. */
    private static Attempt thinkingOff() {
        var model = new dev.ncp.api.model.ModelInfo("qwen/qwen3-235b-a22b", "qwen3", List.of(), 131_072, 16_384,
                new dev.ncp.api.model.ModelInfo.Capabilities(true, false, true, false), "qwen-kwargs", List.of(),
                java.util.Map.of());
        return AnswerHarness.spec(model, List.of());
    }

    @Test
    void reasoningClosedByABareTagIsThinkingWhereverTheTextIsCut() {
        // the chat template opened <think> for the model; it writes only the closing tag
        String answer = "\nIs 7 < 8? </thin is not a tag.\n</think>\n\nYes, 7 < 8.";
        var want = expected("Is 7 < 8? </thin is not a tag.\n", "Yes, 7 < 8.");
        for (int i = 0; i <= answer.length(); i++) {
            for (int j = i; j <= answer.length(); j++) {
                assertEquals(want, reasoning(answer.substring(0, i), answer.substring(i, j), answer.substring(j)),
                        "split at " + i + "," + j);
            }
        }
        assertEquals(want, reasoning(answer.split("")));
    }

    @Test
    void withoutABareTagTheHeldTextIsTheAnswer() {
        assertEquals(expected(null, "Plain answer, no tags </b>."), reasoning("Plain answer, ", "no tags </b>."));
    }

    @Test
    void aBareTagAfterAFullHoldIsDroppedAndEverythingStaysText() {
        String longReasoning = "x".repeat(ThinkTagProcessor.MAX_TENTATIVE);
        String answer = longReasoning + "</think>\n\nThe answer.";
        var want = expected(null, longReasoning + "The answer.");
        for (int cut : new int[] {1, 100, ThinkTagProcessor.MAX_TENTATIVE - 3, ThinkTagProcessor.MAX_TENTATIVE + 2,
                answer.length() - 1}) {
            assertEquals(want, reasoning(answer.substring(0, cut), answer.substring(cut)), "cut at " + cut);
        }
    }

    @Test
    void aBareTagIsTextWhenThinkingIsOffForTheRequest() {
        assertEquals(expected(null, "a</think>b"), run(thinkingOff(), List.of("a</think>b")));
    }
}
