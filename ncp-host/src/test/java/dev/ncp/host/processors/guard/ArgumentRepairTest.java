package dev.ncp.host.processors.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.processors.guard.ArgumentRepair.Outcome;
import dev.ncp.host.processors.guard.ArgumentRepair.Repaired;
import dev.ncp.host.processors.guard.ArgumentRepair.Unreadable;
import dev.ncp.host.processors.guard.ArgumentRepair.WellFormed;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each mistake open models make in tool-call arguments, and what ncp reads them as. */
class ArgumentRepairTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ArgumentRepair repair = new ArgumentRepair();

    @Test
    void wellFormedArgumentsAreReadAsTheyAre() {
        var outcome = assertInstanceOf(WellFormed.class, repair.read(" {\"command\": \"ls\", \"n\": [1, 2]} "));
        assertEquals(json("{\"command\": \"ls\", \"n\": [1, 2]}"), outcome.input());
    }

    @Test
    void aTrailingCommaIsDropped() {
        assertRepaired("{\"command\": \"npm run lint\", \"description\": \"Run\",}",
                "{\"command\": \"npm run lint\", \"description\": \"Run\"}", "lenient syntax");
        assertRepaired("{\"paths\": [\"a\", \"b\",],}", "{\"paths\": [\"a\", \"b\"]}", "lenient syntax");
    }

    @Test
    void whatTheTextEndedInsideOfIsClosed() {
        assertRepaired("{\"file_path\": \"/home/dev/app/TODO.md\"", "{\"file_path\": \"/home/dev/app/TODO.md\"}",
                "closed");
        assertRepaired("{\"todos\": [{\"content\": \"Write tests\"", "{\"todos\": [{\"content\": \"Write tests\"}]}",
                "closed");
        assertRepaired("{\"command\": \"echo hi", "{\"command\": \"echo hi\"}", "closed");
        assertRepaired("{\"a\": 1,", "{\"a\": 1}", "closed", "lenient syntax");
    }

    @Test
    void aMarkdownFenceIsTakenOff() {
        assertRepaired("```json\n{\"pattern\": \"XXX\"}\n```", "{\"pattern\": \"XXX\"}", "fence");
        assertRepaired("```\n{\"pattern\": \"XXX\"}\n```", "{\"pattern\": \"XXX\"}", "fence");
        assertRepaired("```json{\"pattern\": \"XXX\"}```", "{\"pattern\": \"XXX\"}", "fence");
        assertRepaired("{\"pattern\": \"XXX\"}\n```", "{\"pattern\": \"XXX\"}", "fence");
    }

    @Test
    void singleQuotedKeysAndStringsAreRead() {
        assertRepaired("{'command': 'ls -la', \"n\": 'it\\'s'}", "{\"command\": \"ls -la\", \"n\": \"it's\"}",
                "lenient syntax");
    }

    @Test
    void pythonLiteralsBecomeJsonOnesOutsideStrings() {
        assertRepaired("{\"all\": True, \"dry\": False, \"limit\": None, \"note\": \"True story\"}",
                "{\"all\": true, \"dry\": false, \"limit\": null, \"note\": \"True story\"}", "python literals");
        assertRepaired("{'recursive': True}", "{\"recursive\": true}", "python literals", "lenient syntax");
    }

    @Test
    void argumentsSentAsAStringHoldingTheObjectAreUnwrapped() {
        assertRepaired("\"{\\\"file_path\\\": \\\"/a\\\"}\"", "{\"file_path\": \"/a\"}", "unwrapped string");
    }

    @Test
    void severalMistakesAtOnceAreAllRepaired() {
        assertRepaired("```json\n{'all': True, 'paths': ['a',],\n```", "{\"all\": true, \"paths\": [\"a\"]}",
                "fence", "python literals", "closed", "lenient syntax");
    }

    @Test
    void whatNothingMakesAnObjectOfIsUnreadable() {
        assertInstanceOf(Unreadable.class, repair.read("[1, 2]"), "JSON, but not an object");
        assertInstanceOf(Unreadable.class, repair.read("\"just a sentence\""));
        assertInstanceOf(Unreadable.class, repair.read("I will read the file /a"));
        assertInstanceOf(Unreadable.class, repair.read("{\"file_path\": "), "a value that never came");
        assertInstanceOf(Unreadable.class, repair.read("{\"a\": 1} trailing words"));
        assertInstanceOf(Unreadable.class, repair.read("\"\\\"{\\\\\\\"a\\\\\\\": 1}\\\"\""),
                "a string in a string is unwrapped once only");
    }

    private void assertRepaired(String text, String expected, String... fixes) {
        Outcome outcome = repair.read(text);
        var repaired = assertInstanceOf(Repaired.class, outcome, text);
        assertEquals(json(expected), repaired.input(), text);
        assertEquals(List.of(fixes), repaired.fixes(), text);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
