package dev.ncp.host.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The translation rules, checked on real traffic: what a client sent to ncp (an Anthropic Messages request) against
 * what reached the upstream (an OpenAI chat-completions request). Used by end-to-end tests with real clients, where
 * nothing but the two wire requests is visible.
 *
 * <pre>{@code
 * UpstreamRequestCheck.assertWellFormed(upstream.requests().get(0).json());
 * UpstreamRequestCheck.assertCarries(clientRequestJson, upstream.requests().get(0).json());
 * }</pre>
 */
public final class UpstreamRequestCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    private UpstreamRequestCheck() {
    }

    /**
     * An upstream request NIM chat templates accept: a model, streaming with usage, at most one system message and
     * only first, every tool call answered right after it by exactly one tool message, arguments that are JSON
     * objects, and function tools with a name and parameters.
     */
    public static void assertWellFormed(JsonNode openAi) {
        assertFalse(openAi.path("model").asText().isEmpty(), "no model in " + brief(openAi));
        assertTrue(openAi.path("stream").asBoolean(), "upstream requests always stream");
        assertTrue(openAi.path("stream_options").path("include_usage").asBoolean(), "upstream requests ask for usage");
        JsonNode messages = openAi.path("messages");
        assertTrue(messages.isArray() && !messages.isEmpty(), "no messages in " + brief(openAi));
        for (int i = 1; i < messages.size(); i++) {
            assertFalse(role(messages.get(i)).equals("system"), "a system message at index " + i);
        }
        assertToolCallsAnsweredInPlace(messages);
        for (JsonNode tool : openAi.path("tools")) {
            assertEquals("function", tool.path("type").asText(), "tool " + tool);
            assertFalse(tool.path("function").path("name").asText().isEmpty(), "tool without a name: " + tool);
            assertTrue(tool.path("function").path("parameters").isObject(), "tool without parameters: " + tool);
        }
    }

    /**
     * Nothing the client sent was dropped: every declared tool is an upstream function of the same name, every
     * {@code tool_use} is a tool call with the same name and arguments (in the same order), every
     * {@code tool_result} text is in the tool message answering that call (an {@code is_error} one marked
     * {@code "Error: "}), a system prompt is the one leading system message, every other text block reaches the
     * upstream verbatim, and the request fields map as {@link #assertFieldsCarried} says.
     */
    public static void assertCarries(JsonNode anthropic, JsonNode openAi) {
        assertWellFormed(openAi);
        List<String> declared = new ArrayList<>();
        anthropic.path("tools").forEach(t -> {
            if (!t.has("type") || t.path("type").asText().equals("custom")) {
                declared.add(t.path("name").asText());
            }
        });
        List<String> functions = new ArrayList<>();
        openAi.path("tools").forEach(t -> functions.add(t.path("function").path("name").asText()));
        assertEquals(declared, functions, "the tools reaching the upstream are not the ones the client declared");

        JsonNode messages = openAi.path("messages");
        if (!systemText(anthropic).isEmpty()) {
            assertEquals("system", role(messages.get(0)), "the client's system prompt is not the leading message");
        }
        String upstreamText = allText(messages);
        for (String text : clientTexts(anthropic)) {
            if (!upstreamText.contains(text)) {
                fail("text the client sent did not reach the upstream: " + abbreviate(text));
            }
        }

        List<JsonNode> toolUses = blocks(anthropic, "tool_use");
        List<JsonNode> toolCalls = new ArrayList<>();
        messages.forEach(m -> m.path("tool_calls").forEach(toolCalls::add));
        assertEquals(toolUses.size(), toolCalls.size(), "tool_use blocks vs upstream tool calls");
        for (int k = 0; k < toolUses.size(); k++) {
            JsonNode use = toolUses.get(k);
            JsonNode call = toolCalls.get(k);
            assertEquals(use.path("name").asText(), call.path("function").path("name").asText(), "tool call " + k);
            assertEquals(use.path("input"), parse(call.path("function").path("arguments").asText()),
                    "arguments of tool call " + k + " (" + use.path("name").asText() + ")");
            String answer = toolMessageText(messages, call.path("id").asText());
            for (JsonNode result : blocks(anthropic, "tool_result")) {
                if (result.path("tool_use_id").asText().equals(use.path("id").asText())) {
                    for (String text : texts(result.path("content"))) {
                        assertTrue(answer.contains(text), "the result of " + use.path("name").asText()
                                + " did not reach its tool message: " + abbreviate(text));
                    }
                    if (result.path("is_error").asBoolean()) {
                        assertTrue(answer.startsWith("Error: "), "the failed result of " + use.path("name").asText()
                                + " is not marked as an error in its tool message: " + abbreviate(answer));
                    }
                }
            }
        }
        assertFieldsCarried(anthropic, openAi, functions);
    }

    /**
     * The request fields: {@code stop_sequences} → {@code stop} (same list); {@code max_tokens} → a
     * {@code max_tokens} from 1 up to the client's (ncp only ever lowers it, to fit the model); {@code tool_choice}
     * (with tools) → {@code auto} "auto", {@code any} "required", {@code none} "none", {@code tool} that function —
     * or, for a model that cannot be forced, "auto" and a system line asking for the call;
     * {@code disable_parallel_tool_use} → {@code parallel_tool_calls: false}; no tools → no choice sent.
     */
    private static void assertFieldsCarried(JsonNode anthropic, JsonNode openAi, List<String> functions) {
        JsonNode stops = anthropic.path("stop_sequences");
        if (stops.isArray() && !stops.isEmpty()) {
            assertEquals(stops, openAi.path("stop"), "stop_sequences → stop");
        }
        int upstreamMax = openAi.path("max_tokens").asInt(0);
        assertTrue(upstreamMax >= 1, "no max_tokens upstream: " + brief(openAi));
        if (anthropic.path("max_tokens").isInt()) {
            assertTrue(upstreamMax <= anthropic.path("max_tokens").asInt(), "max_tokens upstream " + upstreamMax
                    + " is above the client's " + anthropic.path("max_tokens").asInt());
        }
        JsonNode choice = anthropic.path("tool_choice");
        JsonNode sentChoice = openAi.path("tool_choice");
        if (functions.isEmpty() || choice.isMissingNode() || choice.isNull()) {
            assertTrue(sentChoice.isMissingNode() || sentChoice.isNull(),
                    "a tool_choice upstream without tools or a client choice: " + sentChoice);
            return;
        }
        String type = choice.path("type").asText();
        boolean forced = type.equals("any") || type.equals("tool");
        if (forced && sentChoice.asText().equals("auto")) {
            assertTrue(texts(openAi.path("messages").path(0).path("content")).stream()
                            .anyMatch(t -> t.contains("You must call")),
                    "a forced tool_choice sent as auto without the system line asking for the call");
        } else {
            JsonNode expected = switch (type) {
                case "any" -> JSON.getNodeFactory().textNode("required");
                case "none" -> JSON.getNodeFactory().textNode("none");
                case "tool" -> JSON.createObjectNode().put("type", "function").set("function",
                        JSON.createObjectNode().put("name", choice.path("name").asText()));
                default -> JSON.getNodeFactory().textNode("auto");
            };
            assertEquals(expected, sentChoice, "tool_choice " + choice + " upstream");
        }
        if (choice.path("disable_parallel_tool_use").asBoolean()) {
            assertEquals(JSON.getNodeFactory().booleanNode(false), openAi.path("parallel_tool_calls"),
                    "disable_parallel_tool_use → parallel_tool_calls false");
        }
    }

    private static void assertToolCallsAnsweredInPlace(JsonNode messages) {
        int answered = 0;
        int calls = 0;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            JsonNode toolCalls = m.path("tool_calls");
            for (int k = 0; k < toolCalls.size(); k++) {
                calls++;
                String id = toolCalls.get(k).path("id").asText();
                assertFalse(id.isEmpty(), "a tool call without an id at message " + i);
                assertTrue(parse(toolCalls.get(k).path("function").path("arguments").asText()).isObject(),
                        "arguments of " + id + " are not a JSON object");
                assertTrue(i + 1 + k < messages.size(), "tool call " + id + " is never answered");
                JsonNode next = messages.get(i + 1 + k);
                assertEquals("tool", role(next), "the message after tool call " + id);
                assertEquals(id, next.path("tool_call_id").asText(), "the answer to tool call " + id);
            }
            if (role(m).equals("tool")) {
                answered++;
            }
        }
        assertEquals(calls, answered, "tool messages vs tool calls");
    }

    private static String toolMessageText(JsonNode messages, String toolCallId) {
        for (JsonNode m : messages) {
            if (role(m).equals("tool") && m.path("tool_call_id").asText().equals(toolCallId)) {
                return String.join("\n", texts(m.path("content")));
            }
        }
        return fail("no tool message answers " + toolCallId);
    }

    /** System text, and the text blocks of user and assistant turns (tool results are checked with their call). */
    private static List<String> clientTexts(JsonNode anthropic) {
        List<String> out = new ArrayList<>(systemText(anthropic));
        for (JsonNode message : anthropic.path("messages")) {
            JsonNode content = message.path("content");
            if (content.isTextual()) {
                out.add(content.asText());
            }
            for (JsonNode block : content) {
                if (block.path("type").asText().equals("text")) {
                    out.add(block.path("text").asText());
                }
            }
        }
        out.removeIf(String::isBlank);
        return out.stream().map(String::strip).toList();
    }

    private static List<String> systemText(JsonNode anthropic) {
        List<String> out = new ArrayList<>(texts(anthropic.path("system")));
        out.removeIf(String::isBlank);
        return out;
    }

    private static List<JsonNode> blocks(JsonNode anthropic, String type) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode message : anthropic.path("messages")) {
            for (JsonNode block : message.path("content")) {
                if (block.path("type").asText().equals(type)) {
                    out.add(block);
                }
            }
        }
        return out;
    }

    /** The text of a string, or of the text parts of a block or part list (Anthropic or OpenAI). */
    private static List<String> texts(JsonNode content) {
        List<String> out = new ArrayList<>();
        if (content.isTextual()) {
            out.add(content.asText());
        } else if (content.isArray()) {
            for (JsonNode part : content) {
                if (part.path("type").asText().equals("text")) {
                    out.add(part.path("text").asText());
                }
            }
        }
        return out;
    }

    private static String allText(JsonNode messages) {
        StringBuilder all = new StringBuilder();
        for (JsonNode m : messages) {
            texts(m.path("content")).forEach(t -> all.append(t).append('\n'));
        }
        return all.toString();
    }

    private static String role(JsonNode message) {
        return message.path("role").asText();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json.isEmpty() ? "{}" : json);
        } catch (IOException e) {
            return fail("not JSON: " + abbreviate(json));
        }
    }

    private static String brief(JsonNode request) {
        return abbreviate(request.toString());
    }

    private static String abbreviate(String s) {
        String flat = s.replace('\n', ' ');
        return flat.length() <= 160 ? flat : flat.substring(0, 160) + "…";
    }
}
