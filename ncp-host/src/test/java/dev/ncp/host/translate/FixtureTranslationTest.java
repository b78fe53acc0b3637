package dev.ncp.host.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.anthropic.Fixtures;
import dev.ncp.host.anthropic.MessagesRequest;
import dev.ncp.host.error.ApiError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every recorded client request translates into an upstream request that NIM chat templates accept. */
class FixtureTranslationTest {

    /** The SDK's tool-error sample answers a call its history never made; Anthropic rejects it too. */
    private static final String UNPAIRED_RESULT = "anthropic-js-sdk--006-POST-v1-messages.json";

    static List<String> translatableFixtures() {
        return Fixtures.messageRequests().stream().filter(f -> !f.equals(UNPAIRED_RESULT)).toList();
    }

    @ParameterizedTest
    @MethodSource("translatableFixtures")
    void recordedRequestTranslatesIntoAValidUpstreamRequest(String fixture) {
        MessagesRequest request = Translation.PARSER.parse(Fixtures.body(fixture));
        JsonNode wire = Translation.wire(Translation.TRANSLATOR.translate(request, Translation.VISION_MODEL));
        JsonNode messages = wire.get("messages");

        assertTrue(wire.get("stream").asBoolean());
        assertTrue(wire.get("stream_options").get("include_usage").asBoolean());
        assertAtMostOneLeadingSystemMessage(messages);
        assertEveryToolCallAnsweredOnceRightAfterIt(messages);
        assertEquals(count(request, "tool_use"), countToolCalls(messages));
        assertEquals(count(request, "tool_result"), countRole(messages, "tool"));
        assertEquals(request.tools().size(), wire.path("tools").size());
        List<String> forbidden = List.of("cache_control", "$schema", "thinking", "redacted_thinking", "signature",
                "context_management", "output_config", "metadata", "defer_loading");
        for (String key : forbidden) {
            assertFalse(hasKey(wire, key), () -> fixture + " sends '" + key + "' upstream");
        }
    }

    @Test
    void claudeCodeRequestKeepsEveryUserTextAndFoldsItsEnvironmentMessageIntoTheSystemPrompt() {
        MessagesRequest request = Translation.PARSER.parse(Fixtures.body("opus-default--001-POST-v1-messages.json"));
        JsonNode messages = Translation.wire(Translation.TRANSLATOR.translate(request, Translation.TEXT_MODEL))
                .get("messages");
        assertEquals(2, messages.size());
        String system = messages.get(0).get("content").asText();
        assertTrue(system.startsWith("x-anthropic-billing-header"));
        assertTrue(system.endsWith(request.messages().get(1).content().get(0) instanceof
                dev.ncp.host.anthropic.ContentBlock.Text t ? t.text() : "?"));
        assertEquals("user", messages.get(1).get("role").asText());
        assertTrue(messages.get(1).get("content").asText().endsWith("\nsay hi"));
    }

    @Test
    void toolRoundTripSendsTheCallThenItsResult() {
        MessagesRequest request = Translation.PARSER.parse(Fixtures.body("tool-round-trip--002-POST-v1-messages.json"));
        JsonNode messages = Translation.wire(Translation.TRANSLATOR.translate(request, Translation.TEXT_MODEL))
                .get("messages");
        JsonNode assistant = messages.get(2);
        assertEquals("I'll run a command.", assistant.get("content").asText());
        JsonNode call = assistant.get("tool_calls").get(0);
        assertEquals("toolu_mock_001", call.get("id").asText());
        assertEquals("Bash", call.get("function").get("name").asText());
        assertEquals("{\"command\":\"echo hello-from-tool > tool_out.txt; echo done\",\"description\":\"Write a test"
                + " file\"}", call.get("function").get("arguments").asText());
        assertEquals("tool", messages.get(3).get("role").asText());
        assertEquals("toolu_mock_001", messages.get(3).get("tool_call_id").asText());
        assertEquals("done", messages.get(3).get("content").asText());
        assertEquals(4, messages.size());
    }

    @Test
    void sdkRequestAnsweringACallItNeverMadeIsRejectedLikeAnthropic() {
        MessagesRequest request = Translation.PARSER.parse(Fixtures.body(UNPAIRED_RESULT));
        var e = assertThrows(ApiError.class, () -> Translation.TRANSLATOR.translate(request, Translation.TEXT_MODEL));
        assertEquals("messages.2.content.1: unexpected `tool_use_id` found in `tool_result` blocks: toolu_02. Each"
                + " `tool_result` block must have a corresponding `tool_use` block in the previous message.",
                e.getMessage());
    }

    static void assertAtMostOneLeadingSystemMessage(JsonNode messages) {
        for (int i = 1; i < messages.size(); i++) {
            assertFalse(messages.get(i).get("role").asText().equals("system"), "system message at index " + i);
        }
    }

    /** Each assistant tool call is followed, before anything else, by exactly one tool message with its id. */
    static void assertEveryToolCallAnsweredOnceRightAfterIt(JsonNode messages) {
        Map<String, Integer> answers = new HashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            List<String> ids = new ArrayList<>();
            m.path("tool_calls").forEach(c -> ids.add(c.get("id").asText()));
            for (int k = 0; k < ids.size(); k++) {
                JsonNode next = messages.get(i + 1 + k);
                assertEquals("tool", next.get("role").asText(), "message after tool call " + ids.get(k));
                assertEquals(ids.get(k), next.get("tool_call_id").asText());
            }
            if (m.get("role").asText().equals("tool")) {
                answers.merge(m.get("tool_call_id").asText(), 1, Integer::sum);
            }
        }
        answers.forEach((id, n) -> assertEquals(1, n, "answers for " + id));
        assertEquals(countToolCalls(messages), answers.size());
    }

    static int countToolCalls(JsonNode messages) {
        int n = 0;
        for (JsonNode m : messages) {
            n += m.path("tool_calls").size();
        }
        return n;
    }

    static int countRole(JsonNode messages, String role) {
        int n = 0;
        for (JsonNode m : messages) {
            n += m.get("role").asText().equals(role) ? 1 : 0;
        }
        return n;
    }

    private static long count(MessagesRequest request, String type) {
        return request.messages().stream().flatMap(m -> m.content().stream()).filter(b -> b.type().equals(type))
                .count();
    }

    static boolean hasKey(JsonNode node, String key) {
        if (node.isObject()) {
            if (node.has(key)) {
                return true;
            }
            for (JsonNode child : node) {
                if (hasKey(child, key)) {
                    return true;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                if (hasKey(child, key)) {
                    return true;
                }
            }
        }
        return false;
    }
}
