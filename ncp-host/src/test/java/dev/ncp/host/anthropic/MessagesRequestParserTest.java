package dev.ncp.host.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.host.error.ApiError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MessagesRequestParserTest {

    private final MessagesRequestParser parser = new MessagesRequestParser(Fixtures.JSON);

    static java.util.List<String> fixtures() {
        return Fixtures.messageRequests();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyRecordedClientRequestParses(String fixture) {
        MessagesRequest request = parser.parse(Fixtures.body(fixture));
        assertEquals(Fixtures.bodyTree(fixture).get("messages").size(), request.messages().size());
    }

    @Test
    void claudeCodeRequestKeepsSystemBlocksToolsThinkingAndEffort() {
        MessagesRequest r = parser.parse(Fixtures.body("opus-default--001-POST-v1-messages.json"));
        assertEquals(3, r.system().size());
        assertEquals(12, r.tools().size());
        assertEquals("adaptive", r.thinking().type());
        assertEquals("omitted", r.thinking().display());
        assertEquals("medium", r.outputConfig().effort());
        assertEquals(128000, r.maxTokens());
        assertTrue(r.streaming());
        assertEquals("system", r.messages().get(1).role());
        assertTrue(r.metadata().userId().startsWith("{\"device_id\""));
        assertTrue(r.tools().get(10).other().containsKey("defer_loading"));
    }

    @Test
    void stringContentBecomesOneTextBlock() {
        MessagesRequest r = parse("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertEquals(java.util.List.of(new ContentBlock.Text("Hi")), r.messages().get(0).content());
    }

    @Test
    void maxTokensMayBeOmitted() {
        MessagesRequest r = parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertNull(r.maxTokens());
    }

    @Test
    void unknownBlockTypesAreKeptWithTheirFields() {
        MessagesRequest r = parse(oneUserBlock("{\"type\":\"search_result\",\"source\":\"s\",\"title\":\"t\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"x\"}]}"));
        var block = assertInstanceOf(ContentBlock.Unknown.class, r.messages().get(0).content().get(0));
        assertEquals("search_result", block.type());
        assertEquals("t", block.text("title"));
    }

    @Test
    void cacheControlAndUnknownTopLevelFieldsAreIgnored() {
        MessagesRequest r = parse("{\"model\":\"m\",\"context_management\":{\"edits\":[]},\"messages\":[{\"role\":"
                + "\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\",\"cache_control\":{\"type\":\"ephemeral\"}}]}]}");
        assertEquals(new ContentBlock.Text("Hi"), r.messages().get(0).content().get(0));
    }

    @Test
    void malformedJsonNamesLineAndColumn() {
        assertError("Request body is not valid JSON (line 2, column 14)", "{\"model\":\"m\",\n\"messages\": [}");
    }

    @Test
    void bodyThatIsNotAnObjectIsRejected() {
        assertError("Request body must be a JSON object", "[1,2]");
    }

    @Test
    void emptyBodyIsRejected() {
        var e = assertThrows(ApiError.class, () -> parser.parse(new byte[0]));
        assertTrue(e.getMessage().startsWith("Request body is empty"));
    }

    @Test
    void mistypedMaxTokensNamesItsPath() {
        assertError("max_tokens: expected an integer", "{\"model\":\"m\",\"max_tokens\":\"many\",\"messages\":[]}");
    }

    @Test
    void fractionalMaxTokensIsNotTruncated() {
        assertError("max_tokens: expected an integer", "{\"model\":\"m\",\"max_tokens\":10.5,\"messages\":[]}");
    }

    @Test
    void hugeMaxTokensIsReportedAsOutOfRange() {
        assertError("max_tokens: expected an integer (number out of range)",
                "{\"model\":\"m\",\"max_tokens\":99999999999,\"messages\":[]}");
    }

    @Test
    void numberWhereTextBelongsIsRejected() {
        assertError("messages.0.content.0.text: expected a string", oneUserBlock("{\"type\":\"text\",\"text\":5}"));
    }

    @Test
    void contentThatIsNeitherStringNorArrayIsRejected() {
        assertError("messages.0.content: expected a string or an array of content blocks",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":5}]}");
    }

    @Test
    void blockWithoutTypeNamesTheMissingField() {
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\","
                + "\"content\":\"b\"},{\"role\":\"user\",\"content\":\"c\"},{\"role\":\"assistant\",\"content\":[{\"text\":\"x\"}]}]}";
        assertError("messages.3.content.0.type: Field required", body);
    }

    @Test
    void missingModelIsRejected() {
        assertError("model: Field required", "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    }

    @Test
    void missingOrEmptyMessagesAreRejected() {
        assertError("messages: Field required", "{\"model\":\"m\"}");
        assertError("messages: at least one message is required", "{\"model\":\"m\",\"messages\":[]}");
    }

    @Test
    void emptyMessagesAreRejectedExceptAFinalAssistantPrefill() {
        assertError("messages.0: all messages must have non-empty content except for the optional final assistant"
                + " message", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"\"}]}");
        assertError("messages.0: all messages", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[]}]}");
        assertEquals(2, parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"\"}]}").messages().size());
    }

    @Test
    void unknownRoleIsRejected() {
        assertError("messages.0.role: Input should be 'user', 'assistant' or 'system' (got 'tool')",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"content\":\"Hi\"}]}");
    }

    @Test
    void maxTokensBelowOneIsRejected() {
        assertError("max_tokens: Input should be greater than or equal to 1 (got 0)", withField("\"max_tokens\":0"));
    }

    @Test
    void temperatureAboveAnthropicsRangeIsRejected() {
        assertError("temperature: Input should be between 0 and 1 (got 1.5)", withField("\"temperature\":1.5"));
        assertError("top_p: Input should be between 0 and 1 (got -0.1)", withField("\"top_p\":-0.1"));
    }

    @Test
    void thinkingBudgetBelowMinimumIsRejected() {
        assertError("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024 (got 512)",
                withField("\"max_tokens\":4000,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":512}"));
    }

    @Test
    void thinkingBudgetMustStayBelowMaxTokens() {
        assertError("`max_tokens` must be greater than `thinking.budget_tokens` (got max_tokens 2000, budget_tokens 2000)",
                withField("\"max_tokens\":2000,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2000}"));
    }

    @Test
    void enabledThinkingNeedsABudget() {
        assertError("thinking.enabled.budget_tokens: Field required", withField("\"thinking\":{\"type\":\"enabled\"}"));
    }

    @Test
    void unknownThinkingTypeIsRejected() {
        assertError("thinking.type: Input should be 'enabled', 'disabled', 'adaptive' or 'between_tools' (got 'on')",
                withField("\"thinking\":{\"type\":\"on\"}"));
    }

    @Test
    void toolNameOutsideAnthropicsPatternIsRejected() {
        assertError("tools.0.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$' (got 'my tool')",
                withField("\"tools\":[{\"name\":\"my tool\",\"input_schema\":{\"type\":\"object\"}}]"));
    }

    @Test
    void duplicateToolNamesAreRejected() {
        assertError("tools: Tool names must be unique ('Read' is both tools.0 and tools.1)",
                withField("\"tools\":[{\"name\":\"Read\",\"input_schema\":{}},{\"name\":\"Read\",\"input_schema\":{}}]"));
    }

    @Test
    void customToolNeedsAnInputSchema() {
        assertError("tools.0.custom.input_schema: Field required", withField("\"tools\":[{\"name\":\"Read\"}]"));
    }

    @Test
    void nonObjectInputSchemaIsRejectedLikeAnthropic() {
        assertError("tools.0.custom.input_schema.type: Input should be 'object' (got string)",
                withField("\"tools\":[{\"name\":\"Echo\",\"input_schema\":{\"type\":\"string\"}}]"));
    }

    @Test
    void toolChoiceOfTypeToolNeedsAName() {
        assertError("tool_choice.tool.name: Field required", withField("\"tool_choice\":{\"type\":\"tool\"}"));
    }

    @Test
    void imageWithUnsupportedMediaTypeIsRejected() {
        assertError("messages.0.content.0.source.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif'"
                + " or 'image/webp' (got 'image/bmp')",
                oneUserBlock("{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/bmp\",\"data\":\"AA==\"}}"));
    }

    @Test
    void filesApiSourcesAreRejectedWithAWayOut() {
        assertError("messages.0.content.0.source: file sources (Anthropic Files API) are not supported by ncp;"
                + " send the content inline as base64 or as a url",
                oneUserBlock("{\"type\":\"image\",\"source\":{\"type\":\"file\",\"file_id\":\"file_01\"}}"));
    }

    @Test
    void toolUseInputMustBeAnObject() {
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\","
                + "\"id\":\"toolu_01\",\"name\":\"Read\",\"input\":\"x\"}]}]}";
        assertError("messages.0.content.0.input: Input should be a valid dictionary (a JSON object)", body);
    }

    @Test
    void toolResultInAnAssistantMessageIsRejected() {
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_result\","
                + "\"tool_use_id\":\"toolu_01\"}]}]}";
        assertError("messages.0.content.0: tool_result blocks may only appear in user messages", body);
    }

    @Test
    void systemMessagesHoldOnlyText() {
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":[{\"type\":\"image\","
                + "\"source\":{\"type\":\"url\",\"url\":\"http://x\"}}]}]}";
        assertError("messages.0.content.0.type: system messages may only contain text blocks (got 'image')", body);
    }

    private MessagesRequest parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String oneUserBlock(String block) {
        return "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[" + block + "]}]}";
    }

    private static String withField(String field) {
        return "{\"model\":\"m\"," + field + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    }

    private void assertError(String expectedPrefix, String body) {
        var e = assertThrows(ApiError.class, () -> parse(body));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().startsWith(expectedPrefix), () -> "message was: " + e.getMessage());
    }
}
