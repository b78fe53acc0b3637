package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.errors.BadRequestException;
import com.anthropic.models.messages.Base64ImageSource;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Images reach vision models as OpenAI {@code image_url} parts with {@code data:} URLs — from the user and from
 * tool results — and a model without vision refuses a user's image with a 400 that names it and a vision alias.
 */
class ImagesTest {

    /** A 1×1 PNG. */
    static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
    static final String DATA_URL = "data:image/png;base64," + PNG;
    static final String VISION = "claude-llama4-maverick";

    private ProxyHarness h;

    @BeforeEach
    void start() {
        h = ProxyHarness.start();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void aUsersImageReachesAVisionModelAsADataUrlPart() {
        h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
        var answer = h.client().messages().create(MessageCreateParams.builder().model(VISION).maxTokens(256)
                .addUserMessageOfContentBlockParams(List.of(
                        ContentBlockParam.ofImage(Base64ImageSource.builder()
                                .mediaType(Base64ImageSource.MediaType.IMAGE_PNG).data(PNG).build()),
                        ContentBlockParam.ofText("What is this?")))
                .build());
        assertEquals(VISION, answer.model().asString());

        JsonNode sent = h.upstream().requests().get(0).json();
        assertEquals("meta/llama-4-maverick-17b-128e-instruct", sent.path("model").asText());
        assertEquals(Wire.json("""
                [{"role":"user","content":[
                   {"type":"image_url","image_url":{"url":"%s"}},
                   {"type":"text","text":"What is this?"}]}]""".formatted(DATA_URL)), sent.path("messages"));
    }

    @Test
    void aUsersImageForAModelWithoutVisionIsA400NamingTheModelAndAVisionAlias() {
        // With the image route off, such requests are refused instead of rerouted.
        try (var h = ProxyHarness.start(Map.of("NCP_ROUTE_IMAGE", "off"))) {
            var e = assertThrows(BadRequestException.class, () -> h.client().messages()
                    .create(MessageCreateParams.builder().model("claude-opus-5-5").maxTokens(256)
                            .addUserMessageOfContentBlockParams(List.of(
                                    ContentBlockParam.ofText("What is this?"),
                                    ContentBlockParam.ofImage(Base64ImageSource.builder()
                                            .mediaType(Base64ImageSource.MediaType.IMAGE_PNG).data(PNG).build())))
                            .build()));
            JsonNode body = SdkAnswer.inputOf(e.body());
            assertEquals("invalid_request_error", body.path("error").path("type").asText());
            String message = body.path("error").path("message").asText();
            assertTrue(message.startsWith("messages.0.content.1: "), message);
            assertTrue(message.contains("qwen/qwen3-coder-480b-a35b-instruct"), message);
            assertTrue(message.contains(VISION), message);
            assertEquals(0, h.upstream().requests().size());
        }
    }

    @Test
    void theRecordedSdkImageRequestForSonnetIsRefusedTheSameWay() {
        // With the image route off, such requests are refused instead of rerouted.
        try (var h = ProxyHarness.start(Map.of("NCP_ROUTE_IMAGE", "off"))) {
            // The Sonnet family maps to Nemotron Super, which has no vision.
            Wire.Reply reply = ClaudeCodeRequestsTest.Recorded.load("anthropic-js-sdk--007-POST-v1-messages.json")
                    .replay(h);
            String message = Wire.assertAnthropicError(reply, 400, "invalid_request_error");
            assertTrue(message.contains("nvidia/llama-3.3-nemotron-super-49b-v1.5") && message.contains(VISION), message);
        }
    }

    @Test
    void anImageInAToolResultReachesAVisionModelRightAfterTheToolMessage() {
        h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
        Wire.Reply reply = Wire.post(h, "/v1/messages", toolResultWithImage(VISION));
        assertEquals(200, reply.status(), reply.text());

        JsonNode messages = h.upstream().requests().get(0).json().path("messages");
        assertEquals(4, messages.size(), messages.toString());
        JsonNode tool = messages.get(2);
        assertEquals("tool", tool.path("role").asText());
        assertEquals("toolu_01Shot", tool.path("tool_call_id").asText());
        assertEquals("Screenshot taken.\n[image: attached in the next user message]", tool.path("content").asText());
        JsonNode user = messages.get(3);
        assertEquals("user", user.path("role").asText());
        List<String> types = new java.util.ArrayList<>();
        user.path("content").forEach(p -> types.add(p.path("type").asText()));
        assertEquals(List.of("text", "image_url", "text"), types, user.toString());
        assertEquals(DATA_URL, user.path("content").get(1).path("image_url").path("url").asText());
        assertEquals("What do you see?", user.path("content").get(2).path("text").asText());
    }

    @Test
    void anImageInAToolResultForAModelWithoutVisionBecomesANoteNotAnError() {
        // With the image route off, such requests are refused instead of rerouted.
        try (var h = ProxyHarness.start(Map.of("NCP_ROUTE_IMAGE", "off"))) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            Wire.Reply reply = Wire.post(h, "/v1/messages", toolResultWithImage("claude-opus-5-5"));
            assertEquals(200, reply.status(), reply.text());

            JsonNode messages = h.upstream().requests().get(0).json().path("messages");
            assertEquals("Screenshot taken.\n[image omitted: model has no vision]",
                    messages.get(2).path("content").asText());
            assertFalse(messages.toString().contains("image_url"), messages.toString());
        }
    }

    @Test
    void byDefaultAnImageForAModelWithoutVisionIsRoutedToTheVisionModel() {
        h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
        Wire.Reply reply = ClaudeCodeRequestsTest.Recorded.load("anthropic-js-sdk--007-POST-v1-messages.json")
                .replay(h);
        assertEquals(200, reply.status(), reply.text());
        assertEquals("meta/llama-4-maverick-17b-128e-instruct", reply.header("x-ncp-model"));
        assertTrue(reply.header("x-ncp-route").startsWith("scenario:image"), reply.header("x-ncp-route"));
        assertEquals("meta/llama-4-maverick-17b-128e-instruct",
                h.upstream().requests().get(0).json().path("model").asText());
    }

    private static String toolResultWithImage(String model) {
        return """
                {"model":"%s","max_tokens":256,
                 "tools":[{"name":"Screenshot","input_schema":{"type":"object","properties":{}}}],
                 "messages":[
                  {"role":"user","content":"Take a screenshot"},
                  {"role":"assistant","content":[{"type":"tool_use","id":"toolu_01Shot","name":"Screenshot","input":{}}]},
                  {"role":"user","content":[
                    {"type":"tool_result","tool_use_id":"toolu_01Shot","content":[
                      {"type":"text","text":"Screenshot taken."},
                      {"type":"image","source":{"type":"base64","media_type":"image/png","data":"%s"}}]},
                    {"type":"text","text":"What do you see?"}]}]}""".formatted(model, PNG);
    }
}
