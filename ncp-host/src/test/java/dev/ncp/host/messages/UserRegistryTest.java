package dev.ncp.host.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.DocumentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceAny;
import com.anthropic.models.messages.ToolChoiceTool;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.TestPdf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A user models file changes what the running proxy does: aliases, family targets, capabilities (pdf included). */
class UserRegistryTest {

    private static final String MODELS_YAML = """
            models:
              - id: meta/llama-3.3-70b-instruct
                aliases: [team-default]
                forced_tool_choice: false
              - id: acme/brand-new-70b
                aliases: [acme]
                context_window: 32768
              - id: acme/doc-reader-vl
                aliases: [docs]
                vision: true
                pdf: true
            claude:
              haiku: team-default
            """;

    private static ProxyHarness h;

    @BeforeAll
    static void start() throws IOException {
        Path file = Files.writeString(Files.createTempDirectory("ncp-models").resolve("models.yaml"), MODELS_YAML);
        h = ProxyHarness.start(Map.of("NCP_MODELS_FILE", file.toString()));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static final Tool WEATHER = Tool.builder().name("get_weather").description("Weather in a city")
            .inputSchema(Tool.InputSchema.builder().build()).build();

    private static JsonNode send(MessageCreateParams params, String route, String model) {
        h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
        HttpResponseFor<Message> response = h.client().messages().withRawResponse().create(params);
        response.parse();
        assertEquals(List.of(route), response.headers().values("x-ncp-route"));
        assertEquals(List.of(model), response.headers().values("x-ncp-model"));
        List<?> all = h.upstream().requests();
        return h.upstream().requests().get(all.size() - 1).json();
    }

    @Test
    void aForcedToolChoiceBecomesAutoPlusAHintForAModelTheUserMarked() {
        JsonNode sent = send(MessageCreateParams.builder().model("claude-haiku-4-5-20251001").maxTokens(512)
                .system("Answer briefly.").addTool(WEATHER)
                .toolChoice(ToolChoiceTool.builder().name("get_weather").build())
                .addUserMessage("Weather in Oslo?").build(), "family:haiku", "meta/llama-3.3-70b-instruct");
        assertEquals("auto", sent.path("tool_choice").asText());
        assertEquals("Answer briefly.\n\nYou must call the tool get_weather in your next response.",
                sent.path("messages").path(0).path("content").asText());
    }

    @Test
    void anyToolChoiceIsDegradedTooWhileOtherModelsKeepTheirForcedChoice() {
        JsonNode degraded = send(MessageCreateParams.builder().model("team-default").maxTokens(512).addTool(WEATHER)
                .toolChoice(ToolChoiceAny.builder().build()).addUserMessage("Weather?").build(), "alias",
                "meta/llama-3.3-70b-instruct");
        assertEquals("auto", degraded.path("tool_choice").asText());
        JsonNode forced = send(MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(512).addTool(WEATHER)
                .toolChoice(ToolChoiceAny.builder().build()).addUserMessage("Weather?").build(), "family:sonnet",
                "nvidia/llama-3.3-nemotron-super-49b-v1.5");
        assertEquals("required", forced.path("tool_choice").asText());
    }

    private static List<ContentBlockParam> pdfQuestion(String pdfBase64) {
        return List.of(ContentBlockParam.ofDocument(DocumentBlockParam.builder().title("invoice.pdf")
                        .base64Source(pdfBase64).build()),
                ContentBlockParam.ofText(TextBlockParam.builder().text("What is the total?").build()));
    }

    private static MessageCreateParams askAboutPdf(String model, String pdfBase64) {
        return MessageCreateParams.builder().model(model).maxTokens(512)
                .addUserMessageOfContentBlockParams(pdfQuestion(pdfBase64)).build();
    }

    @Test
    void aModelMarkedPdfInTheUserFileReceivesThePdfAsAnOpenAiFilePart() {
        String pdf = TestPdf.base64("Invoice 42", "Total: 9 EUR");
        JsonNode sent = send(askAboutPdf("docs", pdf), "alias", "acme/doc-reader-vl");
        JsonNode content = sent.path("messages").path(0).path("content");
        assertEquals("[Document: invoice.pdf]", content.path(0).path("text").asText());
        assertEquals("file", content.path(1).path("type").asText());
        assertEquals("invoice.pdf", content.path(1).path("file").path("filename").asText());
        assertEquals("data:application/pdf;base64," + pdf, content.path(1).path("file").path("file_data").asText());
        assertEquals("What is the total?", content.path(2).path("text").asText());
        long counted = h.client().messages().countTokens(MessageCountTokensParams.builder().model("docs")
                .addUserMessageOfContentBlockParams(pdfQuestion(pdf))
                .build()).inputTokens();
        assertTrue(counted > 10 && counted < 100, "the two pages' text and the question: " + counted);
    }

    @Test
    void aModelNotMarkedPdfReceivesThePdfsText() {
        JsonNode sent = send(askAboutPdf("acme", TestPdf.base64("Invoice 42")), "alias", "acme/brand-new-70b");
        assertEquals("[PDF invoice.pdf, page 1]\nInvoice 42\nWhat is the total?",
                sent.path("messages").path(0).path("content").asText());
    }

    @Test
    void aModelOnlyTheUserFileKnowsIsServedWithItsLimits() {
        JsonNode sent = send(MessageCreateParams.builder().model("acme").maxTokens(64_000).addUserMessage("Hi")
                .build(), "alias", "acme/brand-new-70b");
        assertEquals("acme/brand-new-70b", sent.path("model").asText());
        assertEquals(16_384, sent.path("max_tokens").asInt()); // conservative default max output, within 32k context
    }
}
