package dev.ncp.host.idempotency;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AnswerRecorderTest {

    private static boolean whole(String sse) {
        return AnswerRecorder.isWholeStream(sse.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aStreamIsWholeWhenItEndsWithMessageStopAndHasNoErrorEvent() {
        assertTrue(whole("event: message_start\nid: 1\ndata: {}\n\nevent: message_stop\nid: 2\ndata: {}\n\n"));
        assertTrue(whole("event: message_start\r\ndata: {}\r\n\r\nevent: message_stop\r\ndata: {}\r\n\r\n"));
        assertFalse(whole("event: message_start\nid: 1\ndata: {}\n\n"), "cut off");
        assertFalse(whole("event: message_start\ndata: {}\n\nevent: error\ndata: {}\n\nevent: message_stop\ndata: {}\n\n"));
        assertFalse(whole("event: error\ndata: {}\n\n"));
    }

    @Test
    void eventNamesInsideDataDoNotCount() {
        assertFalse(whole("event: message_start\ndata: {\"text\":\"event: message_stop\"}\n\n"));
        assertTrue(whole("event: message_start\ndata: {\"text\":\"\\nevent: error\\n\"}\n\nevent: message_stop\ndata: {}\n\n"));
    }

    @Test
    void pastItsCapTheRecorderKeepsNothing() {
        var recorder = new AnswerRecorder(10);
        recorder.write(new byte[8], 0, 8);
        assertFalse(recorder.overflowed());
        recorder.write(new byte[8], 0, 8);
        assertTrue(recorder.overflowed());
    }
}
