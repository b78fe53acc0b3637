package dev.ncp.host.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ncp.api.error.ErrorType;
import dev.ncp.api.stream.StopReason;
import dev.ncp.api.stream.StreamEvent.ContentBlockDelta;
import dev.ncp.api.stream.StreamEvent.ContentBlockStart;
import dev.ncp.api.stream.StreamEvent.ContentBlockStop;
import dev.ncp.api.stream.StreamEvent.InputJsonDelta;
import dev.ncp.api.stream.StreamEvent.MessageDelta;
import dev.ncp.api.stream.StreamEvent.MessageStop;
import dev.ncp.api.stream.StreamEvent.SignatureDelta;
import dev.ncp.api.stream.StreamEvent.TextBlock;
import dev.ncp.api.stream.StreamEvent.TextDelta;
import dev.ncp.api.stream.StreamEvent.ThinkingBlock;
import dev.ncp.api.stream.StreamEvent.ThinkingDelta;
import dev.ncp.api.stream.StreamEvent.ToolUseBlock;
import dev.ncp.api.stream.StreamEvent;
import dev.ncp.api.stream.Usage;
import dev.ncp.host.response.AnswerStreamContext;
import dev.ncp.host.testing.AnswerHarness;
import dev.ncp.host.testing.EventRecorder;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockFinalizerTest {

    private static final MessageDelta END = new MessageDelta(StopReason.END_TURN, null, Usage.ZERO);

    private static List<StreamEvent> finalize(StreamEvent... events) {
        var recorder = new EventRecorder();
        var stage = new BlockFinalizer(AnswerHarness.SIGNER)
                .open(new AnswerStreamContext(AnswerHarness.plainSpec().shaping(), AnswerHarness.ids()));
        for (StreamEvent e : events) {
            stage.onEvent(e, recorder::accept);
        }
        stage.onComplete(recorder::accept);
        return recorder.events();
    }

    private static ContentBlockDelta text(int index, String text) {
        return new ContentBlockDelta(index, new TextDelta(text));
    }

    @Test
    void blockKeysBecomeContiguousIndexesInStartOrder() {
        var tool = new ToolUseBlock("toolu_1", "Read");
        assertEquals(List.of(
                        new ContentBlockStart(0, new TextBlock()), text(0, "a"), new ContentBlockStop(0),
                        new ContentBlockStart(1, tool), new ContentBlockDelta(1, new InputJsonDelta("{}")),
                        new ContentBlockStop(1), END, new MessageStop()),
                finalize(new ContentBlockStart(7, new TextBlock()), text(7, "a"), new ContentBlockStop(7),
                        new ContentBlockStart(3, tool), new ContentBlockDelta(3, new InputJsonDelta("{}")),
                        new ContentBlockStop(3), END, new MessageStop()));
    }

    @Test
    void textBlocksThatNeverGetContentAreDropped() {
        assertEquals(List.of(new ContentBlockStart(0, new TextBlock()), text(0, "b"), new ContentBlockStop(0),
                        END, new MessageStop()),
                finalize(new ContentBlockStart(0, new TextBlock()), text(0, ""), new ContentBlockStop(0),
                        new ContentBlockStart(1, new TextBlock()), text(1, "b"), new ContentBlockStop(1),
                        new ContentBlockStart(2, new ThinkingBlock()), new ContentBlockStop(2),
                        END, new MessageStop()));
    }

    @Test
    void whitespaceOnlyBlocksAreDroppedAndLeadingWhitespaceJoinsTheFirstContent() {
        assertEquals(List.of(new ContentBlockStart(0, new TextBlock()), text(0, "\n\nHi"), text(0, " there"),
                        new ContentBlockStop(0), END, new MessageStop()),
                finalize(new ContentBlockStart(0, new TextBlock()), text(0, "\n"), text(0, " "), new ContentBlockStop(0),
                        new ContentBlockStart(1, new TextBlock()), text(1, "\n"), text(1, "\nHi"), text(1, ""),
                        text(1, " there"), new ContentBlockStop(1), END, new MessageStop()));
    }

    @Test
    void openBlocksAreStoppedInStartOrderBeforeTheFinalDeltaAndNothingFollowsTheStop() {
        assertEquals(List.of(new ContentBlockStart(0, new TextBlock()), text(0, "a"),
                        new ContentBlockStart(1, new TextBlock()), text(1, "b"),
                        new ContentBlockStop(0), new ContentBlockStop(1), END, new MessageStop()),
                finalize(new ContentBlockStart(4, new TextBlock()), text(4, "a"),
                        new ContentBlockStart(5, new TextBlock()), text(5, "b"),
                        END, new MessageStop(), text(4, "late"), new StreamEvent.Ping()));
    }

    @Test
    void anErrorClosesOpenBlocksAndEndsTheStream() {
        var error = new StreamEvent.Error(ErrorType.API, "boom");
        assertEquals(List.of(new ContentBlockStart(0, new TextBlock()), text(0, "a"), new ContentBlockStop(0), error),
                finalize(new ContentBlockStart(1, new TextBlock()), text(1, "a"), error, END, new MessageStop()));
    }

    @Test
    void thinkingWithoutASignatureIsSignedOverItsWholeText() {
        String signature = AnswerHarness.SIGNER.sign("step one, step two");
        assertEquals(List.of(new ContentBlockStart(0, new ThinkingBlock()),
                        new ContentBlockDelta(0, new ThinkingDelta("step one, ")),
                        new ContentBlockDelta(0, new ThinkingDelta("step two")),
                        new ContentBlockDelta(0, new SignatureDelta(signature)), new ContentBlockStop(0)),
                finalize(new ContentBlockStart(9, new ThinkingBlock()),
                        new ContentBlockDelta(9, new ThinkingDelta("step one, ")),
                        new ContentBlockDelta(9, new ThinkingDelta("step two")), new ContentBlockStop(9)));
    }

    @Test
    void aThinkingBlockThatAlreadyHasASignatureKeepsIt() {
        assertEquals(List.of(new ContentBlockStart(0, new ThinkingBlock()),
                        new ContentBlockDelta(0, new ThinkingDelta("x")),
                        new ContentBlockDelta(0, new SignatureDelta("upstream-sig")), new ContentBlockStop(0)),
                finalize(new ContentBlockStart(0, new ThinkingBlock()), new ContentBlockDelta(0, new ThinkingDelta("x")),
                        new ContentBlockDelta(0, new SignatureDelta("upstream-sig")), new ContentBlockStop(0)));
    }

    @Test
    void eventsForBlocksThatNeverStartedAreDropped() {
        assertEquals(List.of(END, new MessageStop()),
                finalize(text(3, "orphan"), new ContentBlockStop(3), END, new MessageStop()));
    }

    @Test
    void usageSnapshotsPassWithoutClosingBlocks() {
        var snapshot = new MessageDelta(null, null, Usage.ZERO);
        assertEquals(List.of(new ContentBlockStart(0, new TextBlock()), text(0, "a"), snapshot, text(0, "b"),
                        new ContentBlockStop(0)),
                finalize(new ContentBlockStart(0, new TextBlock()), text(0, "a"), snapshot, text(0, "b"),
                        new ContentBlockStop(0)));
    }
}
