package dev.ncp.host.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.core.ObjectMappers;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.api.stream.StopReason;
import dev.ncp.api.stream.Usage;
import dev.ncp.host.pump.Attempt;
import dev.ncp.host.testing.AnswerHarness;
import dev.ncp.host.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official Anthropic Java SDK, accumulating our SSE stream, builds the same message our non-streaming
 * aggregator returns — with and without progressive usage snapshots and delta merging. This is what makes the
 * snapshots ({@code R2_MESSAGE_DELTA_EVERY_BLOCK}) safe to send.
 */
class SdkAccumulatorCompatibilityTest {

    static Stream<Arguments> answers() {
        var args = new ArrayList<Arguments>();
        for (String fixture : Fixtures.UPSTREAM_STREAMS) {
            if (fixture.startsWith("truncated") || fixture.startsWith("error")) {
                continue; // ends in an error event: there is no message to accumulate
            }
            Attempt spec = fixture.startsWith("think") || fixture.startsWith("reasoning")
                    ? AnswerHarness.reasoningSpec()
                    : AnswerHarness.spec(AnswerHarness.model("qwen/qwen3-coder-480b-a35b-instruct", false),
                            List.of("###"));
            args.add(Arguments.of(fixture, spec, false, 0));
            args.add(Arguments.of(fixture, spec, true, 16));
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} snapshots={2} merge={3}")
    @MethodSource("answers")
    void theSdkAccumulatesTheSameMessageAsTheAggregator(String fixture, Attempt spec, boolean snapshots,
                                                         int mergeLimit) throws Exception {
        byte[] body = Fixtures.upstream(fixture);
        ResponseMessage expected = AnswerHarness.aggregate(spec, body).message();
        byte[] sse = AnswerHarness.sse(spec, AnswerHarness.chain(snapshots), body, mergeLimit);

        var accumulator = MessageAccumulator.create();
        int messageDeltas = 0;
        for (SseFrames.Frame frame : SseFrames.parse(sse).frames()) {
            RawMessageStreamEvent event = ObjectMappers.jsonMapper().readValue(frame.data(), RawMessageStreamEvent.class);
            messageDeltas += event.isMessageDelta() ? 1 : 0;
            accumulator.accumulate(event);
        }
        assertEquals(expected, fromSdk(accumulator.message()));
        if (snapshots) {
            assertTrue(messageDeltas > 1, "snapshots were sent");
        }
    }

    private static ResponseMessage fromSdk(Message m) throws Exception {
        var content = new ArrayList<ResponseMessage.Block>();
        for (ContentBlock block : m.content()) {
            if (block.isText()) {
                content.add(new ResponseMessage.Text(block.asText().text()));
            } else if (block.isThinking()) {
                content.add(new ResponseMessage.Thinking(block.asThinking().thinking(), block.asThinking().signature()));
            } else if (block.isToolUse()) {
                var tool = block.asToolUse();
                String inputJson = ObjectMappers.jsonMapper().writeValueAsString(tool._input());
                JsonNode input = AnswerHarness.JSON.readTree(inputJson);
                content.add(new ResponseMessage.ToolUse(tool.id(), tool.name(), input));
            } else {
                throw new AssertionError("unexpected block " + block);
            }
        }
        var u = m.usage();
        return new ResponseMessage(m.id(), m.model().asString(), content,
                m.stopReason().map(r -> StopReason.valueOf(r.asString().toUpperCase())).orElse(null),
                m.stopSequence().orElse(null),
                new Usage((int) u.inputTokens(), (int) u.outputTokens(), u.cacheReadInputTokens().orElse(0L).intValue(),
                        u.cacheCreationInputTokens().orElse(0L).intValue()));
    }
}
