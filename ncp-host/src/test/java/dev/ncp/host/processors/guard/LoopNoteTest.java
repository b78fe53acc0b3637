package dev.ncp.host.processors.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.openai.ChatRequest;
import dev.ncp.host.anthropic.MessagesRequest;
import dev.ncp.host.anthropic.MessagesRequestParser;
import dev.ncp.host.tokens.TokenEstimator;
import dev.ncp.host.translate.RequestTranslator;
import dev.ncp.host.translate.ToolIdCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The loop note: when it is added to the upstream request, where, and what it never touches. */
class LoopNoteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ModelInfo MODEL = new ModelInfo("qwen/qwen3-coder-480b-a35b-instruct", "qwen3-coder",
            List.of(), 262_144, 65_536, ModelInfo.Capabilities.TOOLS_ONLY, "none", List.of(), Map.of());
    private static final MessagesRequestParser PARSER = new MessagesRequestParser(JSON);
    private static final RequestTranslator TRANSLATOR = new RequestTranslator(new ToolIdCodec(),
            new TokenEstimator(JSON), JSON, null);
    private static final String GREP = "{\"pattern\": \"TODO\"}";
    private static final String NOTHING = "No matches found";

    private final LoopNote loopNote = new LoopNote(true);

    @Test
    void threeIdenticalCallsWithIdenticalResultsGetANoteAfterTheLastResult() {
        MessagesRequest request = request(round(1, "Grep", GREP, NOTHING), round(2, "Grep", GREP, NOTHING),
                round(3, "Grep", GREP, NOTHING));
        ChatRequest translated = translate(request);
        LoopNote.Noted noted = loopNote.apply(request, translated);

        assertEquals(Optional.of(new GuardIntervention(GuardKind.LOOP_NOTE, "Grep",
                "3 identical calls with identical results")), noted.intervention());
        JsonNode before = JSON.valueToTree(translated.messages());
        JsonNode after = JSON.valueToTree(noted.chat().messages());
        assertEquals(before.size(), after.size(), "no message added");
        for (int i = 0; i < before.size() - 1; i++) {
            assertEquals(before.get(i), after.get(i), "message " + i + " untouched");
        }
        JsonNode last = after.get(after.size() - 1);
        assertEquals("tool", last.path("role").asText());
        assertEquals(NOTHING + "\n\n" + LoopNote.note("Grep"), last.path("content").asText());
        assertTrue(LoopNote.note("Grep").contains("Grep") && LoopNote.note("Grep").contains("same input")
                && LoopNote.note("Grep").contains("same result"), LoopNote.note("Grep"));
    }

    @Test
    void theClientsRequestIsNotChanged() {
        MessagesRequest request = request(round(1, "Grep", GREP, NOTHING), round(2, "Grep", GREP, NOTHING),
                round(3, "Grep", GREP, NOTHING));
        String before = request.toString();
        loopNote.apply(request, translate(request));
        assertEquals(before, request.toString());
    }

    @Test
    void inputsAreComparedAsObjectsNotAsText() {
        assertEquals(Optional.of("Grep"), LoopNote.repeatedTool(request(
                round(1, "Grep", "{\"pattern\": \"TODO\", \"path\": \"/a\"}", NOTHING),
                round(2, "Grep", "{\"path\": \"/a\", \"pattern\": \"TODO\"}", NOTHING),
                round(3, "Grep", "{\"pattern\":\"TODO\",\"path\":\"/a\"}", NOTHING)).messages()));
    }

    @Test
    void noNoteWhenTheInputTheResultOrTheToolChanged() {
        assertNoNote(request(round(1, "Grep", GREP, NOTHING), round(2, "Grep", "{\"pattern\": \"FIXME\"}", NOTHING),
                round(3, "Grep", GREP, NOTHING)));
        assertNoNote(request(round(1, "Grep", GREP, NOTHING), round(2, "Grep", GREP, "src/a.py:3: TODO"),
                round(3, "Grep", GREP, NOTHING)));
        assertNoNote(request(round(1, "Glob", GREP, NOTHING), round(2, "Grep", GREP, NOTHING),
                round(3, "Grep", GREP, NOTHING)));
    }

    @Test
    void noNoteForTwoRepeatsOrWhenTheLastTurnAnsweredInText() {
        assertNoNote(request(round(1, "Grep", GREP, NOTHING), round(2, "Grep", GREP, NOTHING)));
        var rounds = new ArrayList<>(List.of(round(1, "Grep", GREP, NOTHING), round(2, "Grep", GREP, NOTHING),
                round(3, "Grep", GREP, NOTHING)));
        rounds.add("{\"role\": \"assistant\", \"content\": \"Nothing found.\"}, {\"role\": \"user\", \"content\":"
                + " \"Look again\"}");
        assertNoNote(request(rounds.toArray(String[]::new)));
    }

    @Test
    void switchedOffItAddsNothing() {
        MessagesRequest request = request(round(1, "Grep", GREP, NOTHING), round(2, "Grep", GREP, NOTHING),
                round(3, "Grep", GREP, NOTHING));
        ChatRequest translated = translate(request);
        LoopNote.Noted noted = new LoopNote(false).apply(request, translated);
        assertEquals(translated, noted.chat());
        assertEquals(Optional.empty(), noted.intervention());
    }

    private void assertNoNote(MessagesRequest request) {
        ChatRequest translated = translate(request);
        LoopNote.Noted noted = loopNote.apply(request, translated);
        assertEquals(Optional.empty(), noted.intervention());
        assertEquals(translated, noted.chat());
    }

    /** One assistant turn calling {@code tool} and the user turn with its result. */
    private static String round(int n, String tool, String input, String result) {
        return "{\"role\": \"assistant\", \"content\": [{\"type\": \"text\", \"text\": \"Searching.\"},"
                + " {\"type\": \"tool_use\", \"id\": \"toolu_0" + n + "\", \"name\": \"" + tool + "\", \"input\": "
                + input + "}]}, {\"role\": \"user\", \"content\": [{\"type\": \"tool_result\", \"tool_use_id\":"
                + " \"toolu_0" + n + "\", \"content\": \"" + result + "\"}]}";
    }

    private static MessagesRequest request(String... rounds) {
        String body = "{\"model\": \"claude-sonnet-4-5\", \"max_tokens\": 1024, \"tools\": ["
                + "{\"name\": \"Grep\", \"input_schema\": {\"type\": \"object\"}},"
                + "{\"name\": \"Glob\", \"input_schema\": {\"type\": \"object\"}}],"
                + " \"messages\": [{\"role\": \"user\", \"content\": \"Find the TODOs\"}, "
                + String.join(", ", rounds) + "]}";
        return PARSER.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    private static ChatRequest translate(MessagesRequest request) {
        return TRANSLATOR.translate(request, MODEL).chat();
    }
}
