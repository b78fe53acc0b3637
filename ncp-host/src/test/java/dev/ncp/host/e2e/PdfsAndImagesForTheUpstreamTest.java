package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.errors.BadRequestException;
import com.anthropic.models.messages.Base64ImageSource;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.DocumentBlockParam;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.TextBlockParam;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.testing.HttpCalls;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.TestPdf;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the upstream cannot take is turned into what it can, through the whole proxy with the Anthropic Java SDK: a
 * PDF for a model without PDF input arrives as its text page by page (in a user turn and in a tool result, the way
 * Claude Code's Read tool returns one), a PDF without a text layer as a note (a 400 when nothing else is in the
 * turn), and GIF and WebP images as PNG of the same size for a vision model. count_tokens counts what is sent.
 */
@Timeout(60)
class PdfsAndImagesForTheUpstreamTest {

    /** The default Sonnet target: a text-only model without PDF input. */
    private static final String TEXT_MODEL = "claude-sonnet-4-6";
    private static final String VISION = "claude-llama4-maverick";
    /** A 1×1 lossless WebP and a 1×1 lossy one (the smallest valid files of each kind). */
    private static final String WEBP_LOSSLESS = "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==";
    private static final String WEBP_LOSSY = "UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA";

    private ProxyHarness h;

    @BeforeEach
    void start() {
        h = ProxyHarness.start();
        h.upstream().fallback(Script.fixture("text-stop-usage-last.sse"));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private static List<ContentBlockParam> reportQuestion(String pdf) {
        return List.of(ContentBlockParam.ofDocument(DocumentBlockParam.builder().title("report.pdf")
                        .base64Source(pdf).build()),
                ContentBlockParam.ofText(TextBlockParam.builder().text("Summarise the report.").build()));
    }

    @Test
    void aUsersPdfReachesATextModelAsItsPagesText() {
        String pdf = TestPdf.base64("Revenue rose 12 percent", "Costs fell in Q3");
        h.client().messages().create(MessageCreateParams.builder().model(TEXT_MODEL).maxTokens(256)
                .addUserMessageOfContentBlockParams(reportQuestion(pdf)).build());
        String sent = lastSent().path("messages").path(0).path("content").asText();
        assertEquals("[PDF report.pdf, page 1]\nRevenue rose 12 percent\n\n[PDF report.pdf, page 2]\nCosts fell in Q3"
                + "\nSummarise the report.", sent);
    }

    @Test
    void countTokensCountsThePdfAsTheTextSentInItsPlace() {
        String pdf = TestPdf.base64("Revenue rose 12 percent", "Costs fell in Q3");
        long asPdf = h.client().messages().countTokens(MessageCountTokensParams.builder().model(TEXT_MODEL)
                .addUserMessageOfContentBlockParams(reportQuestion(pdf)).build()).inputTokens();
        String text = "[PDF report.pdf, page 1]\nRevenue rose 12 percent\n\n[PDF report.pdf, page 2]\nCosts fell in Q3";
        long asText = h.client().messages().countTokens(MessageCountTokensParams.builder().model(TEXT_MODEL)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofText(TextBlockParam.builder()
                        .text(text).build()), ContentBlockParam.ofText(TextBlockParam.builder()
                        .text("Summarise the report.").build()))).build()).inputTokens();
        assertEquals(asText, asPdf);
    }

    @Test
    void aPdfReturnedByAToolReachesTheModelAsTextInTheToolMessage() throws Exception {
        String pdf = TestPdf.base64("The contract ends in May");
        String body = """
                {"model":"%s","max_tokens":256,"tools":[{"name":"Read","input_schema":{"type":"object",
                 "properties":{"file_path":{"type":"string"}}}}],
                 "messages":[{"role":"user","content":"What does contract.pdf say?"},
                  {"role":"assistant","content":[{"type":"tool_use","id":"toolu_01","name":"Read",
                   "input":{"file_path":"/work/contract.pdf"}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":[
                   {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"%s"}}]}]}]}
                """.formatted(TEXT_MODEL, pdf);
        var answer = HttpCalls.postMessages(h.baseUrl(), body, Map.of());
        assertEquals(200, answer.statusCode(), HttpCalls.text(answer));
        JsonNode tool = lastSent().path("messages").path(2);
        assertEquals("tool", tool.path("role").asText(), tool.toString());
        assertEquals("[PDF document 1, page 1]\nThe contract ends in May", tool.path("content").asText());
    }

    @Test
    void aScannedPdfBecomesANoteBesideTheQuestionAndA400Alone() {
        String scanned = TestPdf.base64("", "");
        h.client().messages().create(MessageCreateParams.builder().model(TEXT_MODEL).maxTokens(256)
                .addUserMessageOfContentBlockParams(reportQuestion(scanned)).build());
        assertEquals("[PDF report.pdf: 2 pages, none with a text layer (a scanned document?): this model cannot read"
                + " PDF files, so the pages' content is not included]\nSummarise the report.",
                lastSent().path("messages").path(0).path("content").asText());

        int before = h.upstream().requests().size();
        var e = assertThrows(BadRequestException.class, () -> h.client().messages().create(MessageCreateParams
                .builder().model(TEXT_MODEL).maxTokens(256).addUserMessageOfContentBlockParams(List.of(
                        ContentBlockParam.ofDocument(DocumentBlockParam.builder().base64Source(scanned).build())))
                .build()));
        assertTrue(e.getMessage().contains("cannot read PDF files and ncp found no text in this PDF"), e.getMessage());
        assertEquals(before, h.upstream().requests().size(), "refused before any upstream call");
    }

    @Test
    void gifAndWebpReachAVisionModelAsPngOfTheSameSize() throws Exception {
        var gif = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "gif", gif);
        for (var image : List.of(Map.entry(Base64ImageSource.MediaType.IMAGE_GIF,
                        Base64.getEncoder().encodeToString(gif.toByteArray())),
                Map.entry(Base64ImageSource.MediaType.IMAGE_WEBP, WEBP_LOSSLESS),
                Map.entry(Base64ImageSource.MediaType.IMAGE_WEBP, WEBP_LOSSY))) {
            h.client().messages().create(MessageCreateParams.builder().model(VISION).maxTokens(256)
                    .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofImage(Base64ImageSource.builder()
                            .mediaType(image.getKey()).data(image.getValue()).build()),
                            ContentBlockParam.ofText("What is this?"))).build());
            String url = lastSent().path("messages").path(0).path("content").path(0).path("image_url").path("url")
                    .asText();
            assertTrue(url.startsWith("data:image/png;base64,"), image.getKey() + ": " + url);
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(
                    url.substring("data:image/png;base64,".length()))));
            BufferedImage original = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(
                    image.getValue())));
            assertEquals(original.getWidth(), png.getWidth(), image.getKey().toString());
            assertEquals(original.getHeight(), png.getHeight(), image.getKey().toString());
        }
    }

    @Test
    void countTokensCountsAGifAsThePngSentInItsPlace() throws Exception {
        var gif = new ByteArrayOutputStream();
        var png = new ByteArrayOutputStream();
        var image = new BufferedImage(900, 600, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(image, "gif", gif);
        ImageIO.write(image, "png", png);
        long asGif = countImage(Base64ImageSource.MediaType.IMAGE_GIF, gif.toByteArray());
        long asPng = countImage(Base64ImageSource.MediaType.IMAGE_PNG, png.toByteArray());
        assertEquals(asPng, asGif);
        assertTrue(asGif > 700, "900 × 600 / 750 = 720 for the image: " + asGif);
    }

    private long countImage(Base64ImageSource.MediaType type, byte[] image) {
        return h.client().messages().countTokens(MessageCountTokensParams.builder().model(VISION)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofImage(Base64ImageSource.builder()
                        .mediaType(type).data(Base64.getEncoder().encodeToString(image)).build())))
                .build()).inputTokens();
    }

    @Test
    void anImageThatCannotBeConvertedIsAClear400() {
        var e = assertThrows(BadRequestException.class, () -> h.client().messages().create(MessageCreateParams
                .builder().model(VISION).maxTokens(256).addUserMessageOfContentBlockParams(List.of(
                        ContentBlockParam.ofImage(Base64ImageSource.builder()
                                .mediaType(Base64ImageSource.MediaType.IMAGE_WEBP).data("UklGRgAAAABXRUJQ").build())))
                .build()));
        assertTrue(e.getMessage().contains("could not be converted to PNG"), e.getMessage());
    }

    private JsonNode lastSent() {
        var all = h.upstream().requests();
        return all.get(all.size() - 1).json();
    }
}
