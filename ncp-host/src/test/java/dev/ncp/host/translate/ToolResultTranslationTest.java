package dev.ncp.host.translate;

import static dev.ncp.host.translate.Translation.PDF_MODEL;
import static dev.ncp.host.translate.Translation.TEXT_MODEL;
import static dev.ncp.host.translate.Translation.VISION_MODEL;
import static dev.ncp.host.translate.Translation.messages;
import static dev.ncp.host.translate.Translation.translate;
import static dev.ncp.host.translate.Translation.wire;
import static dev.ncp.host.translate.Translation.withMessages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.error.ApiError;
import org.junit.jupiter.api.Test;

class ToolResultTranslationTest {

    private static final String TWO_CALLS = "{\"role\":\"user\",\"content\":\"go\"},{\"role\":\"assistant\",\"content\":["
            + "{\"type\":\"text\",\"text\":\"Reading both.\"},"
            + "{\"type\":\"tool_use\",\"id\":\"toolu_01A\",\"name\":\"Read\",\"input\":{\"file_path\":\"/a\"}},"
            + "{\"type\":\"tool_use\",\"id\":\"toolu_01B\",\"name\":\"Read\",\"input\":{\"file_path\":\"/b\"}}]}";
    private static final String PNG = "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\","
            + "\"data\":\"iVBORw0KGgo=\"}}";

    @Test
    void assistantToolUseBecomesToolCallsWithCompactArguments() {
        JsonNode m = messages(withMessages("[" + TWO_CALLS + "]"));
        assertEquals("{\"role\":\"assistant\",\"content\":\"Reading both.\",\"tool_calls\":["
                + "{\"id\":\"toolu_01A\",\"function\":{\"name\":\"Read\",\"arguments\":\"{\\\"file_path\\\":\\\"/a\\\"}\"},"
                + "\"type\":\"function\"},{\"id\":\"toolu_01B\",\"function\":{\"name\":\"Read\",\"arguments\":"
                + "\"{\\\"file_path\\\":\\\"/b\\\"}\"},\"type\":\"function\"}]}", m.get(1).toString());
    }

    @Test
    void toolMessagesFollowTheCallOrderNotTheResultOrderAndPrecedeTheUserText() {
        JsonNode m = messages(withMessages("[" + TWO_CALLS + ",{\"role\":\"user\",\"content\":["
                + "{\"type\":\"text\",\"text\":\"thanks\"},"
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01B\",\"content\":\"B\"},"
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01A\",\"content\":[{\"type\":\"text\",\"text\":\"A\"}]}]}]"));
        assertEquals("{\"role\":\"tool\",\"content\":\"A\",\"tool_call_id\":\"toolu_01A\"}", m.get(2).toString());
        assertEquals("{\"role\":\"tool\",\"content\":\"B\",\"tool_call_id\":\"toolu_01B\"}", m.get(3).toString());
        assertEquals("{\"role\":\"user\",\"content\":\"thanks\"}", m.get(4).toString());
        assertEquals(5, m.size());
    }

    @Test
    void callWithoutAResultGetsASyntheticAnswer() {
        JsonNode m = messages(withMessages("[" + TWO_CALLS + ",{\"role\":\"user\",\"content\":["
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01A\",\"content\":\"A\"}]}]"));
        assertEquals("{\"role\":\"tool\",\"content\":\"No result was provided for this tool call.\",\"tool_call_id\":"
                + "\"toolu_01B\"}", m.get(3).toString());
    }

    @Test
    void callsEndingTheConversationAreAnsweredToo() {
        JsonNode m = messages(withMessages("[" + TWO_CALLS + "]"));
        assertEquals(4, m.size());
        assertEquals("toolu_01B", m.get(3).get("tool_call_id").asText());
    }

    @Test
    void resultForACallThePreviousTurnDidNotMakeIsRejectedInAnthropicsWords() {
        var e = assertThrows(ApiError.class, () -> messages(withMessages("[{\"role\":\"user\",\"content\":[{\"type\":"
                + "\"tool_result\",\"tool_use_id\":\"toolu_01X\",\"content\":\"x\"}]}]")));
        assertEquals("messages.0.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_01X. Each"
                + " `tool_result` block must have a corresponding `tool_use` block in the previous message.",
                e.getMessage());
    }

    @Test
    void secondResultForOneCallIsRejected() {
        var e = assertThrows(ApiError.class, () -> messages(withMessages("[" + TWO_CALLS + ",{\"role\":\"user\","
                + "\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01A\"},{\"type\":\"tool_result\","
                + "\"tool_use_id\":\"toolu_01A\"}]}]")));
        assertEquals("messages.2.content.1: a second `tool_result` for tool_use_id toolu_01A; send exactly one result"
                + " per tool call.", e.getMessage());
    }

    @Test
    void failedResultIsPrefixedSoTheModelKnows() {
        JsonNode m = messages(withMessages("[" + TWO_CALLS + ",{\"role\":\"user\",\"content\":["
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01A\",\"is_error\":true,\"content\":\"ENOENT\"},"
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01B\",\"is_error\":true}]}]"));
        assertEquals("Error: ENOENT", m.get(2).get("content").asText());
        assertEquals("Error: the tool call failed.", m.get(3).get("content").asText());
    }

    @Test
    void resultImagesGoToAFollowingUserMessageForVisionModels() {
        JsonNode m = wire(translate(withMessages("[" + TWO_CALLS + ",{\"role\":\"user\",\"content\":["
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01A\",\"content\":[{\"type\":\"text\",\"text\":"
                + "\"shot\"}," + PNG + "]},{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01B\",\"content\":\"B\"}]}]"),
                VISION_MODEL)).get("messages");
        assertEquals("shot\n[image: attached in the next user message]", m.get(2).get("content").asText());
        assertEquals("tool", m.get(3).get("role").asText());
        JsonNode follow = m.get(4);
        assertEquals("user", follow.get("role").asText());
        assertEquals("Images returned by tool call toolu_01A:", follow.get("content").get(0).get("text").asText());
        assertEquals("data:image/png;base64,iVBORw0KGgo=",
                follow.get("content").get(1).get("image_url").get("url").asText());
    }

    @Test
    void resultImagesBecomeANoteForModelsWithoutVision() {
        JsonNode m = messages(withMessages("[" + TWO_CALLS + ",{\"role\":\"user\",\"content\":["
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01A\",\"content\":[" + PNG + "]},"
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01B\",\"content\":\"B\"}]}]"));
        assertEquals("[image omitted: model has no vision]", m.get(2).get("content").asText());
        assertEquals(4, m.size());
    }

    @Test
    void pdfReturnedByAToolBecomesANoteRatherThanFailingTheTurn() {
        JsonNode m = messages(withMessages("[" + TWO_CALLS + ",{\"role\":\"user\",\"content\":["
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01A\",\"content\":[{\"type\":\"document\",\"title\":"
                + "\"a.pdf\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"JVBERi0=\"}}]},"
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01B\",\"content\":\"B\"}]}]"));
        assertEquals("[PDF a.pdf: not included: it is damaged or not a PDF, so its text cannot be read]",
                m.get(2).get("content").asText());
    }

    @Test
    void anUnreadablePdfBesideToolResultsIsANoteNotA400() {
        JsonNode m = messages(withMessages("[" + TWO_CALLS + ",{\"role\":\"user\",\"content\":["
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01A\",\"content\":\"A\"},"
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01B\",\"content\":\"B\"},"
                + "{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\","
                + "\"data\":\"JVBERi0=\"}}]}]"));
        assertEquals("[PDF document 1: not included: it is damaged or not a PDF, so its text cannot be read]",
                m.get(m.size() - 1).get("content").asText());
    }

    @Test
    void pdfReturnedByAToolGoesToAFollowingUserMessageForAModelThatReadsPdfs() {
        JsonNode m = wire(translate(withMessages("[" + TWO_CALLS + ",{\"role\":\"user\",\"content\":["
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01A\",\"content\":[{\"type\":\"document\",\"title\":"
                + "\"a.pdf\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"JVBERi0=\"}}]},"
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01B\",\"content\":\"B\"}]}]"), PDF_MODEL))
                .get("messages");
        assertEquals("[Document: a.pdf]\n[file: attached in the next user message]", m.get(2).get("content").asText());
        assertEquals("[{\"text\":\"Files returned by tool call toolu_01A:\",\"type\":\"text\"},{\"file\":{\"filename\":"
                + "\"a.pdf\",\"file_data\":\"data:application/pdf;base64,JVBERi0=\"},\"type\":\"file\"}]",
                m.get(4).get("content").toString());
        assertEquals(5, m.size());
    }

    @Test
    void encodedToolIdsGoUpstreamAsTheOriginalUpstreamIds() {
        String clientId = Translation.IDS.toClient("functions.Read:0");
        JsonNode m = messages(withMessages("[{\"role\":\"user\",\"content\":\"go\"},{\"role\":\"assistant\",\"content\":"
                + "[{\"type\":\"tool_use\",\"id\":\"" + clientId + "\",\"name\":\"Read\",\"input\":{}}]},{\"role\":"
                + "\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"" + clientId + "\",\"content\":\"ok\"}]}]"));
        assertEquals("functions.Read:0", m.get(1).get("tool_calls").get(0).get("id").asText());
        assertEquals("functions.Read:0", m.get(2).get("tool_call_id").asText());
    }

    @Test
    void duplicateToolUseIdsInOneTurnAreRejected() {
        var e = assertThrows(ApiError.class, () -> messages(withMessages("[{\"role\":\"user\",\"content\":\"go\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_01A\",\"name\":\"R\","
                + "\"input\":{}},{\"type\":\"tool_use\",\"id\":\"toolu_01A\",\"name\":\"R\",\"input\":{}}]}]")));
        assertEquals("messages.1.content.1.id: `tool_use` ids must be unique within a turn (toolu_01A appears twice)",
                e.getMessage());
    }

    @Test
    void textModelUserTurnWithOnlyResultsSendsNoEmptyUserMessage() {
        JsonNode m = messages(withMessages("[" + TWO_CALLS + ",{\"role\":\"user\",\"content\":["
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01A\",\"content\":\"A\"},"
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01B\",\"content\":\"B\"}]}]"));
        assertEquals(4, m.size());
        assertEquals(TEXT_MODEL.id(), wire(translate(withMessages("[" + TWO_CALLS + "]"), TEXT_MODEL))
                .get("model").asText());
    }
}
