package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.SseException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.ErrorType;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import dev.ncp.host.testing.Fixtures;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each way an upstream stream breaks, as the Anthropic Java SDK's streaming client ({@code createStreaming}) sees
 * it: the events and text that arrived, then either the rest of the answer or the SDK's {@link SseException} for
 * ncp's one {@code error} event — its type and message. Retries are off (or exhausted) unless a case says so, so
 * each fault reaches the client.
 */
@Timeout(60)
class StreamingFaultsThroughSdkTest {

    /** The text of {@link ResilienceTest#firstChunks()}: what reached the client before each fault. */
    private static final String TEXT_SO_FAR = "Hello! I can h";

    /**
     * The events of an answer cut after content (runs of deltas counted once): the open text block is closed, then
     * the error ends the message — no message_delta, no message_stop.
     */
    private static final List<String> CUT_AFTER_CONTENT =
            List.of("message_start", "content_block_start", "content_block_delta", "content_block_stop");

    /** What the SDK delivered: the event types in order, the text of the deltas, and the error that ended it. */
    record Outcome(List<String> events, String text, SseException error) {
    }

    @Test
    void aResetMidStreamEndsTheSdksStreamWithAnApiErrorAfterTheTextSoFar() {
        try (var h = ResilienceTest.proxy()) {
            h.upstream().enqueue(Script.stream(ResilienceTest.firstChunks()).thenReset());
            Outcome o = stream(h);
            assertEquals(TEXT_SO_FAR, o.text());
            assertEquals(CUT_AFTER_CONTENT, runs(o.events()));
            assertError(o, ErrorType.API_ERROR, "failed mid-answer");
            assertEquals(1, h.upstream().requests().size(), "content had reached the client: no retry");
        }
    }

    @Test
    void aMalformedChunkAfterContentEndsTheSdksStreamWithAnApiError() {
        try (var h = ResilienceTest.proxy()) {
            byte[] broken = (new String(ResilienceTest.firstChunks(), StandardCharsets.UTF_8) + "data: {oops\n\n")
                    .getBytes(StandardCharsets.UTF_8);
            h.upstream().enqueue(Script.stream(broken));
            Outcome o = stream(h);
            assertEquals(TEXT_SO_FAR, o.text());
            assertEquals(CUT_AFTER_CONTENT, runs(o.events()));
            assertError(o, ErrorType.API_ERROR, "not valid JSON");
            assertEquals(1, h.upstream().requests().size());
        }
    }

    @Test
    void aBodyThatNeverBeginsIsATimeoutErrorAfterMessageStartOnceRetriesAreSpent() {
        try (var h = ResilienceTest.proxy("NCP_FIRST_BYTE_TIMEOUT_SECONDS", "1", "NCP_MAX_RETRIES", "0")) {
            h.upstream().enqueue(Script.stream(new byte[0]).thenHang());
            Outcome o = stream(h);
            assertEquals("", o.text());
            assertEquals(List.of("message_start"), o.events());
            // The scripted server sends its headers with the first byte of the body: neither ever comes.
            assertError(o, ErrorType.TIMEOUT_ERROR, "within 1 s");
        }
    }

    @Test
    void aBodyThatNeverBeginsIsRetriedAndTheSdkGetsTheWholeAnswer() {
        try (var h = ResilienceTest.proxy("NCP_FIRST_BYTE_TIMEOUT_SECONDS", "1")) {
            h.upstream().enqueue(Script.stream(new byte[0]).thenHang()).enqueue(ResilienceTest.OK);
            Outcome o = stream(h);
            assertNull(o.error());
            assertEquals(ResilienceTest.ANSWER, o.text());
            assertEquals("message_stop", o.events().get(o.events().size() - 1));
            assertEquals(1, o.events().stream().filter("message_start"::equals).count(), "one message_start");
            assertEquals(2, h.upstream().requests().size());
        }
    }

    @Test
    void aStallMidStreamIsATimeoutErrorAfterTheIdleDeadline() {
        try (var h = ResilienceTest.proxy("NCP_IDLE_TIMEOUT_SECONDS", "1")) {
            h.upstream().enqueue(Script.stream(ResilienceTest.firstChunks()).thenHang());
            Outcome o = stream(h);
            assertEquals(TEXT_SO_FAR, o.text());
            assertEquals(CUT_AFTER_CONTENT, runs(o.events()));
            assertError(o, ErrorType.TIMEOUT_ERROR, "sent nothing for 1 s");
            assertEquals(1, h.upstream().requests().size(), "content had reached the client: no retry");
        }
    }

    @Test
    void aMissingDoneAfterTheFinishReasonStillEndsTheSdksStreamNormally() {
        try (var h = ResilienceTest.proxy()) {
            String whole = new String(Fixtures.upstream("text-stop-usage-last.sse"), StandardCharsets.UTF_8);
            h.upstream().enqueue(Script.stream(whole.replace("data: [DONE]\n\n", "")
                    .getBytes(StandardCharsets.UTF_8)));
            var accumulator = MessageAccumulator.create();
            Outcome o = stream(h, accumulator);
            assertNull(o.error());
            assertEquals(ResilienceTest.ANSWER, o.text());
            assertEquals("message_stop", o.events().get(o.events().size() - 1));
            assertEquals("end_turn", accumulator.message().stopReason().orElseThrow().asString());
        }
    }

    @Test
    void aStreamCutBeforeItsFinishReasonEndsWithAnApiErrorNotASilentEndTurn() {
        try (var h = ResilienceTest.proxy()) {
            h.upstream().enqueue(Script.fixture("truncated-no-done.sse"));
            Outcome o = stream(h);
            assertEquals("Partial ans", o.text());
            assertEquals(CUT_AFTER_CONTENT, runs(o.events()));
            assertError(o, ErrorType.API_ERROR, "");
            assertEquals(1, h.upstream().requests().size());
        }
    }

    private static void assertError(Outcome o, ErrorType type, String messagePart) {
        assertNotNull(o.error(), "the stream ended without an error event: " + o.events());
        assertEquals(type, o.error().type().orElseThrow(), o.error().body().toString());
        String message = o.error().apiMessage().orElseThrow();
        assertTrue(message.contains(messagePart), message);
        assertTrue(o.error().requestId().orElse("").startsWith("req_"), "the stream's request-id reaches the error");
    }

    /** The events with each run of equal ones counted once (how deltas are batched is not the point). */
    private static List<String> runs(List<String> events) {
        var runs = new ArrayList<String>();
        for (String e : events) {
            if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(e)) {
                runs.add(e);
            }
        }
        return runs;
    }

    private static Outcome stream(ProxyHarness h) {
        return stream(h, MessageAccumulator.create());
    }

    /** Streams a small request through the SDK, collecting what arrives until the end or the SDK's error. */
    private static Outcome stream(ProxyHarness h, MessageAccumulator accumulator) {
        var events = new ArrayList<String>();
        var text = new StringBuilder();
        var params = MessageCreateParams.builder().model("claude-opus-5-5").maxTokens(1024)
                .addUserMessage("Write something in one sentence, please.").build();
        try (StreamResponse<RawMessageStreamEvent> stream = h.client().messages().createStreaming(params)) {
            stream.stream().forEach(event -> {
                accumulator.accumulate(event);
                events.add(typeOf(event));
                event.contentBlockDelta().flatMap(d -> d.delta().text()).ifPresent(t -> text.append(t.text()));
            });
        } catch (SseException e) {
            return new Outcome(List.copyOf(events), text.toString(), e);
        }
        return new Outcome(List.copyOf(events), text.toString(), null);
    }

    private static String typeOf(RawMessageStreamEvent event) {
        if (event.isMessageStart()) {
            return "message_start";
        } else if (event.isContentBlockStart()) {
            return "content_block_start";
        } else if (event.isContentBlockDelta()) {
            return "content_block_delta";
        } else if (event.isContentBlockStop()) {
            return "content_block_stop";
        } else if (event.isMessageDelta()) {
            return "message_delta";
        } else if (event.isMessageStop()) {
            return "message_stop";
        }
        throw new AssertionError("unexpected event " + event);
    }
}
