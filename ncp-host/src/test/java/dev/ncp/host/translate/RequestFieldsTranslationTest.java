package dev.ncp.host.translate;

import static dev.ncp.host.translate.Translation.TEXT_MODEL;
import static dev.ncp.host.translate.Translation.translate;
import static dev.ncp.host.translate.Translation.wire;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.model.Thinking;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.tokens.CountTokensService;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestFieldsTranslationTest {

    private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    @Test
    void samplingStopAndMaxTokensPassThroughAsSent() {
        JsonNode wire = wire(translate("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":256,\"temperature\":0.2,"
                + "\"top_p\":0.9,\"top_k\":40,\"stop_sequences\":[\"END\"]," + HI + "}", TEXT_MODEL));
        assertEquals(TEXT_MODEL.id(), wire.get("model").asText());
        assertEquals(256, wire.get("max_tokens").asInt());
        assertEquals(0.2, wire.get("temperature").asDouble());
        assertEquals(0.9, wire.get("top_p").asDouble());
        assertEquals(40, wire.get("top_k").asInt());
        assertEquals("[\"END\"]", wire.get("stop").toString());
    }

    @Test
    void upstreamIsAlwaysStreamedWithUsage() {
        JsonNode wire = wire(translate("{\"model\":\"m\",\"stream\":false," + HI + "}", TEXT_MODEL));
        assertTrue(wire.get("stream").asBoolean());
        assertEquals("{\"include_usage\":true}", wire.get("stream_options").toString());
        assertNull(wire.get("max_tokens"));
    }

    @Test
    void userIdIsForwardedAsAStableShortDigestNeverRaw() {
        String userId = "{\\\"device_id\\\":\\\"4bd8b9c0fe6cc24ff4bf965b022cde7df0a551cf87e13f6a6353d08e9e83f8e5\\\","
                + "\\\"session_id\\\":\\\"651b376c\\\"}";
        String body = "{\"model\":\"m\",\"metadata\":{\"user_id\":\"" + userId + "\"}," + HI + "}";
        String first = wire(translate(body, TEXT_MODEL)).get("user").asText();
        assertEquals(first, wire(translate(body, TEXT_MODEL)).get("user").asText());
        assertTrue(first.matches("ncp-[0-9a-f]{32}"), first);
        assertFalse(first.contains("4bd8b9c0"));
        assertNull(wire(translate("{\"model\":\"m\"," + HI + "}", TEXT_MODEL)).get("user"));
    }

    @Test
    void thinkingAndEffortGoToTheShapingContextNotUpstream() {
        TranslatedRequest t = translate("{\"model\":\"claude-opus\",\"max_tokens\":8000,\"thinking\":{\"type\":"
                + "\"enabled\",\"budget_tokens\":4000},\"output_config\":{\"effort\":\"high\"}," + HI + "}", TEXT_MODEL);
        assertEquals(new Thinking(Thinking.Mode.ENABLED, 4000, "high"), t.shaping().thinking());
        assertEquals("claude-opus", t.shaping().requestedModel());
        assertFalse(FixtureTranslationTest.hasKey(wire(t), "thinking"));
        assertNull(wire(t).get("reasoning_effort"));
    }

    @Test
    void omittedAndUpdatesDisplaysHideTheThinkingTextSummarizedShowsIt() {
        for (String display : java.util.List.of("omitted", "updates")) {
            assertEquals(new Thinking(Thinking.Mode.ADAPTIVE, null, null, true), thinking("{\"type\":\"adaptive\","
                    + "\"display\":\"" + display + "\"}"), display);
            assertEquals(new Thinking(Thinking.Mode.ENABLED, 31999, null, true), thinking("{\"type\":\"enabled\","
                    + "\"budget_tokens\":31999,\"display\":\"" + display + "\"}"), display);
        }
        assertEquals(false, thinking("{\"type\":\"adaptive\",\"display\":\"summarized\"}").omitted());
        assertEquals(false, thinking("{\"type\":\"adaptive\"}").omitted());
    }

    private static Thinking thinking(String thinkingJson) {
        return translate("{\"model\":\"m\",\"max_tokens\":64000,\"thinking\":" + thinkingJson + "," + HI + "}",
                TEXT_MODEL).shaping().thinking();
    }

    @Test
    void everyThinkingTypeMapsToAMode() {
        assertEquals(Thinking.ABSENT, translate("{\"model\":\"m\"," + HI + "}", TEXT_MODEL).shaping().thinking());
        assertEquals(Thinking.Mode.DISABLED, mode("{\"type\":\"disabled\"}"));
        assertEquals(Thinking.Mode.ADAPTIVE, mode("{\"type\":\"adaptive\",\"display\":\"omitted\"}"));
        assertEquals(Thinking.Mode.ADAPTIVE, mode("{\"type\":\"between_tools\"}"));
        assertEquals(new Thinking(Thinking.Mode.ABSENT, null, "low"), translate("{\"model\":\"m\",\"output_config\":"
                + "{\"effort\":\"low\"}," + HI + "}", TEXT_MODEL).shaping().thinking());
    }

    private static Thinking.Mode mode(String thinking) {
        return translate("{\"model\":\"m\",\"thinking\":" + thinking + "," + HI + "}", TEXT_MODEL).shaping()
                .thinking().mode();
    }

    @Test
    void modelSamplingOverridesWinOverTheClient() {
        var r1 = new ModelInfo("deepseek-ai/deepseek-r1", "deepseek-r1", List.of(), 131072, 16384, null, "always-on",
                List.of(), Map.of("temperature", 0.6, "repetition_penalty", 1.05));
        JsonNode wire = wire(translate("{\"model\":\"m\",\"temperature\":1.0," + HI + "}", r1));
        assertEquals(0.6, wire.get("temperature").asDouble());
        assertEquals(1.05, wire.get("repetition_penalty").asDouble());
    }

    @Test
    void structuredOutputFormatBecomesAJsonSchemaResponseFormat() {
        JsonNode wire = wire(translate("{\"model\":\"m\",\"output_config\":{\"effort\":\"low\",\"format\":{\"type\":"
                + "\"json_schema\",\"schema\":{\"$schema\":\"x\",\"type\":\"object\",\"properties\":{\"a\":{\"type\":"
                + "\"string\"}}}}}," + HI + "}", TEXT_MODEL));
        JsonNode format = wire.get("response_format");
        assertEquals("json_schema", format.get("type").asText());
        assertEquals("output", format.get("json_schema").get("name").asText());
        assertEquals("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}",
                format.get("json_schema").get("schema").toString());
        assertNull(wire(translate("{\"model\":\"m\"," + HI + "}", TEXT_MODEL)).get("response_format"));
    }

    @Test
    void stopSequencesReachTheShapingContext() {
        TranslatedRequest t = translate("{\"model\":\"m\",\"stop_sequences\":[\"###\"]," + HI + "}", TEXT_MODEL);
        assertEquals(List.of("###"), t.shaping().stopSequences());
    }

    @Test
    void mcpConnectorServersAreRefusedBecauseNimHasNoServerTools() {
        var e = assertThrows(ApiError.class, () -> translate("{\"model\":\"m\",\"mcp_servers\":[{\"type\":\"url\","
                + "\"url\":\"https://mcp.example\",\"name\":\"x\"}]," + HI + "}", TEXT_MODEL));
        assertTrue(e.getMessage().startsWith("mcp_servers: Anthropic's MCP connector runs MCP servers on Anthropic's"
                + " side; NVIDIA NIM has no server-side tools."), e.getMessage());
    }

    @Test
    void estimatedInputTokensMatchCountTokens() {
        String body = "{\"model\":\"m\",\"system\":\"You are terse.\"," + HI + "}";
        TranslatedRequest t = translate(body, TEXT_MODEL);
        assertEquals(new CountTokensService(Translation.ESTIMATOR).countTokens(Translation.parse(body)),
                t.estimatedInputTokens());
    }
}
