package dev.ncp.host.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LoneSurrogatesTest {

    private static int first(String json) {
        return LoneSurrogates.firstIn(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void wholeCharactersAndOtherEscapesPass() {
        assertEquals(-1, first("{\"t\":\"emoji \\ud83d\\ude00 and raw \uD83D\uDE00, \\n \\\" \\u00e9 \\uFFFD\"}"));
        assertEquals(-1, first("{\"t\":\"\\\\ud800 is an escaped backslash, then text\"}"));
        assertEquals(-1, first("{}"));
    }

    @Test
    void aLoneHighOrLowSurrogateIsFoundWhereItStarts() {
        String high = "{\"t\":\"a\\ud800b\"}";
        assertEquals(high.indexOf("\\ud800"), first(high));
        String low = "{\"t\":\"a\\uDC00b\"}";
        assertEquals(low.indexOf("\\uDC00"), first(low));
        String highThenHigh = "{\"t\":\"\\ud83d\\ud83d\\ude00\"}";
        assertEquals(highThenHigh.indexOf("\\ud83d"), first(highThenHigh));
        String highAtTheEnd = "{\"t\":\"x\\uD83D\"}";
        assertEquals(highAtTheEnd.indexOf("\\uD83D"), first(highAtTheEnd));
    }
}
