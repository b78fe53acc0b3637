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
import dev.ncp.host.testing.TestPdf;
import org.junit.jupiter.api.Test;

class ContentTranslationTest {

    private static final String PNG = "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\","
            + "\"data\":\"iVBORw0KGgo=\"}}";

    @Test
    void allTextBlocksBecomeOneStringJoinedByNewlines() {
        JsonNode m = messages(withMessages("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
                + "{\"type\":\"text\",\"text\":\"b\"}]}]"));
        assertEquals("a\nb", m.get(0).get("content").asText());
    }

    @Test
    void base64ImageBecomesADataUrlPartNextToTheText() {
        JsonNode m = wire(translate(withMessages("[{\"role\":\"user\",\"content\":[" + PNG
                + ",{\"type\":\"text\",\"text\":\"What is this?\"}]}]"), VISION_MODEL)).get("messages");
        assertEquals("[{\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"},\"type\":\"image_url\"},"
                + "{\"text\":\"What is this?\",\"type\":\"text\"}]", m.get(0).get("content").toString());
    }

    @Test
    void urlImageKeepsItsUrl() {
        JsonNode m = wire(translate(withMessages("[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":"
                + "{\"type\":\"url\",\"url\":\"https://example.com/cat.jpg\"}}]}]"), VISION_MODEL)).get("messages");
        assertEquals("https://example.com/cat.jpg", m.get(0).get("content").get(0).get("image_url").get("url").asText());
    }

    @Test
    void imageForAModelWithoutVisionIsA400NamingTheModelAndAVisionModel() {
        var e = assertThrows(ApiError.class, () -> translate(withMessages("[{\"role\":\"user\",\"content\":[{\"type\":"
                + "\"text\",\"text\":\"look\"}," + PNG + "]}]"), TEXT_MODEL));
        assertEquals("messages.0.content.1: qwen/qwen3-coder-480b-a35b-instruct cannot read images (it has no vision"
                + " capability); remove the image or use a vision-capable model such as claude-vision", e.getMessage());
    }

    @Test
    void textDocumentBecomesATitledTextPart() {
        JsonNode m = messages(withMessages("[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"title\":"
                + "\"notes.txt\",\"context\":\"from the repo\",\"source\":{\"type\":\"text\",\"media_type\":"
                + "\"text/plain\",\"data\":\"line one\"}},{\"type\":\"text\",\"text\":\"Summarise\"}]}]"));
        assertEquals("[Document: notes.txt]\n[Context: from the repo]\nline one\nSummarise",
                m.get(0).get("content").asText());
    }

    @Test
    void contentDocumentContributesItsTextBlocks() {
        JsonNode m = messages(withMessages("[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":"
                + "{\"type\":\"content\",\"content\":[{\"type\":\"text\",\"text\":\"p1\"},{\"type\":\"text\",\"text\":"
                + "\"p2\"}]}}]}]"));
        assertEquals("[Document]\np1\np2", m.get(0).get("content").asText());
    }

    @Test
    void aPdfWithoutAnyTextAloneInATurnIsA400ForAModelThatCannotReadPdfs() {
        var e = assertThrows(ApiError.class, () -> messages(withMessages("[{\"role\":\"user\",\"content\":[{\"type\":"
                + "\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"JVBERi0=\"}}]}]")));
        assertEquals("messages.0.content.0: qwen/qwen3-coder-480b-a35b-instruct cannot read PDF files and ncp found no"
                + " text in this PDF ([PDF document 1: not included: it is damaged or not a PDF, so its text cannot be"
                + " read]); send its text, or use a model marked pdf: true in the models file", e.getMessage());
    }

    @Test
    void aPdfBecomesItsTextPageByPageForAModelThatCannotReadPdfs() {
        String pdf = TestPdf.base64("Invoice 42", "Total: 9 EUR");
        JsonNode m = messages(withMessages("[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"title\":"
                + "\"invoice.pdf\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"" + pdf
                + "\"}},{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\","
                + "\"data\":\"" + TestPdf.base64("") + "\"}},{\"type\":\"text\",\"text\":\"What is the total?\"}]}]"));
        assertEquals("[PDF invoice.pdf, page 1]\nInvoice 42\n\n[PDF invoice.pdf, page 2]\nTotal: 9 EUR\n"
                + "[PDF document 1: 1 page, none with a text layer (a scanned document?): this model cannot read PDF"
                + " files, so the pages' content is not included]\nWhat is the total?", m.get(0).get("content").asText());
    }

    @Test
    void pdfDocumentBecomesAnOpenAiFilePartForAModelThatReadsPdfs() {
        String pdf = TestPdf.base64("Invoice 42", "Total: 9 EUR");
        JsonNode m = wire(translate(withMessages("[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"title\":"
                + "\"invoice.pdf\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"" + pdf
                + "\"}},{\"type\":\"text\",\"text\":\"What is the total?\"}]}]"), PDF_MODEL)).get("messages");
        assertEquals("[{\"text\":\"[Document: invoice.pdf]\",\"type\":\"text\"},{\"file\":{\"filename\":\"invoice.pdf\","
                + "\"file_data\":\"data:application/pdf;base64," + pdf + "\"},\"type\":\"file\"},"
                + "{\"text\":\"What is the total?\",\"type\":\"text\"}]", m.get(0).get("content").toString());
    }

    @Test
    void untitledPdfGetsAFileNameBecauseOpenAiWantsOneWithInlineData() {
        JsonNode m = wire(translate(withMessages("[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":"
                + "{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"JVBERi0=\"}}]}]"), PDF_MODEL))
                .get("messages");
        assertEquals("document.pdf", m.get(0).get("content").get(1).get("file").get("filename").asText());
    }

    @Test
    void urlDocumentIsA400BecauseNcpDoesNotFetch() {
        var e = assertThrows(ApiError.class, () -> messages(withMessages("[{\"role\":\"user\",\"content\":[{\"type\":"
                + "\"document\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/a.pdf\"}}]}]")));
        assertEquals("messages.0.content.0.source: documents by URL are not supported: ncp does not fetch URLs;"
                + " send the document's text (source type 'text') instead", e.getMessage());
    }

    @Test
    void serverToolHistoryIsToldAsText() {
        JsonNode m = messages(withMessages("[{\"role\":\"user\",\"content\":\"news?\"},{\"role\":\"assistant\","
                + "\"content\":[{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":"
                + "{\"query\":\"ai\"}},{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"srvtoolu_1\",\"content\":"
                + "[{\"type\":\"web_search_result\",\"title\":\"T\",\"url\":\"https://t\",\"encrypted_content\":\"x\"}]},"
                + "{\"type\":\"text\",\"text\":\"Here.\"}]}]"));
        assertEquals("[server tool call web_search: {\"query\":\"ai\"}]\n[web search results]\n- T (https://t)\nHere.",
                m.get(1).get("content").asText());
    }

    @Test
    void searchResultBlockBecomesText() {
        JsonNode m = messages(withMessages("[{\"role\":\"user\",\"content\":[{\"type\":\"search_result\",\"source\":"
                + "\"https://kb/1\",\"title\":\"KB\",\"content\":[{\"type\":\"text\",\"text\":\"fact\"}]}]}]"));
        assertEquals("[search result: KB (https://kb/1)]\nfact", m.get(0).get("content").asText());
    }

    @Test
    void blocksWithNoUpstreamMeaningAreDroppedNotRejected() {
        JsonNode m = messages(withMessages("[{\"role\":\"user\",\"content\":[{\"type\":\"container_upload\",\"file_id\":"
                + "\"f1\"},{\"type\":\"brand_new_block\"},{\"type\":\"text\",\"text\":\"hi\"}]}]"));
        assertEquals("[{\"role\":\"user\",\"content\":\"hi\"}]", m.toString());
    }

    @Test
    void thinkingNcpSignedIsNeverSentButKeptForAdapters() {
        String signature = Translation.SIGNER.sign("hmm");
        TranslatedRequest t = translate(withMessages("[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\","
                + "\"content\":[{\"type\":\"thinking\",\"thinking\":\"hmm\",\"signature\":\"" + signature + "\"},"
                + "{\"type\":\"redacted_thinking\",\"data\":\"xx\"},{\"type\":\"text\",\"text\":\"a\"}]},"
                + "{\"role\":\"user\",\"content\":\"more\"}]"), TEXT_MODEL);
        assertEquals("{\"role\":\"assistant\",\"content\":\"a\"}", wire(t).get("messages").get(1).toString());
        assertEquals(java.util.Map.of(1, "hmm"), t.historyReasoning());
        assertEquals(java.util.Map.of(1, "hmm"), t.shaping().priorReasoning());
    }

    @Test
    void thinkingSignedElsewhereOrUnsignedIsDroppedWithoutError() {
        String anthropicSignature = "EqQBCkgIARABGAIiQL" + "x".repeat(200) + "==";
        TranslatedRequest t = translate(withMessages("[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\","
                + "\"content\":[{\"type\":\"thinking\",\"thinking\":\"theirs\",\"signature\":\"" + anthropicSignature
                + "\"},{\"type\":\"thinking\",\"thinking\":\"unsigned\"},{\"type\":\"text\",\"text\":\"a\"}]},"
                + "{\"role\":\"user\",\"content\":\"more\"}]"), TEXT_MODEL);
        assertEquals(java.util.Map.of(), t.historyReasoning());
        assertEquals("{\"role\":\"assistant\",\"content\":\"a\"}", wire(t).get("messages").get(1).toString());
    }

    @Test
    void thinkingWhoseNcpSignatureDoesNotMatchIsRejectedWithAnthropicsWording() {
        String signature = Translation.SIGNER.sign("what I really thought");
        var e = assertThrows(ApiError.class, () -> translate(withMessages("[{\"role\":\"user\",\"content\":\"q\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"thinking\","
                + "\"thinking\":\"an edited thought\",\"signature\":\"" + signature + "\"}]},"
                + "{\"role\":\"user\",\"content\":\"more\"}]"), TEXT_MODEL));
        assertEquals(400, e.status());
        assertEquals("messages.1.content.1: Invalid `signature` in `thinking` block", e.getMessage());
    }

    @Test
    void aTranslatorWithoutSignerDropsAllHistoryThinking() {
        var unsigned = new RequestTranslator(Translation.IDS, Translation.ESTIMATOR, dev.ncp.host.anthropic.Fixtures.JSON,
                null);
        TranslatedRequest t = unsigned.translate(Translation.parse(withMessages("[{\"role\":\"user\",\"content\":"
                + "\"q\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"hmm\","
                + "\"signature\":\"" + Translation.SIGNER.sign("hmm") + "\"},{\"type\":\"text\",\"text\":\"a\"}]}]")),
                TEXT_MODEL);
        assertEquals(java.util.Map.of(), t.historyReasoning());
    }
}
