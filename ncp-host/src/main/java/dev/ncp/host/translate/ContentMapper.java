package dev.ncp.host.translate;

import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.openai.MessageContent.FilePart;
import dev.ncp.api.openai.MessageContent.ImagePart;
import dev.ncp.api.openai.MessageContent.Part;
import dev.ncp.api.openai.MessageContent.TextPart;
import dev.ncp.api.openai.MessageContent;
import dev.ncp.host.anthropic.ContentBlock;
import dev.ncp.host.anthropic.PdfNames;
import dev.ncp.host.anthropic.UnknownBlockText;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.media.PdfAsText;
import dev.ncp.host.media.PdfText;
import dev.ncp.host.media.PngConversion;
import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic user-side content → OpenAI parts. Two strictness levels, because who put the content there differs:
 * <ul>
 *   <li>content the user sent ({@link #userParts}): an image for a model without vision, an image that cannot be
 *       converted, a document by URL, or a turn of nothing but PDFs without any text is a 400 that says what to do
 *       — silently dropping what a person attached would get a confident wrong answer;</li>
 *   <li>content a tool returned ({@link #toolResult}): the same cases become a short note in the text (the model
 *       can tell the user or try another way), since failing the whole turn would stall an agent loop.</li>
 * </ul>
 * Images travel as {@code image_url} parts ({@code data:} URLs for base64; GIF and WebP converted to PNG, which
 * NIM's vision models take). Text documents become {@code [Document: title]} text; base64 PDFs, for a model that
 * reads them, that header plus an OpenAI {@code file} part (a {@code data:application/pdf} URI), and for any other
 * model their text, page by page ({@link PdfAsText}), in user turns and tool results alike (Claude Code's Read tool
 * returns a PDF as a document block). Thinking blocks never travel in content.
 */
final class ContentMapper {

    static final String NO_VISION_NOTE = "[image omitted: model has no vision]";
    static final String IMAGE_FOLLOWS_NOTE = "[image: attached in the next user message]";
    static final String FILE_FOLLOWS_NOTE = "[file: attached in the next user message]";
    /** The file name sent upstream for a PDF without a title (OpenAI wants one with inline file data). */
    static final String UNTITLED_PDF = "document.pdf";

    private final String visionModelHint;
    private final UnknownBlockText unknown;
    private final PdfText pdfs;
    private final PngConversion images;

    /** @param visionModelHint a vision-capable model to suggest in errors (e.g. an alias), or null */
    ContentMapper(String visionModelHint, UnknownBlockText unknown, PdfText pdfs, PngConversion images) {
        this.visionModelHint = visionModelHint;
        this.unknown = unknown;
        this.pdfs = pdfs;
        this.images = images;
    }

    /**
     * The parts of content a user sent; tool results are not handled here. A turn whose every block is a PDF
     * without any text, for a model that cannot read PDFs, is a 400 unless the turn also answers tool calls
     * ({@code withResults}): nothing of it could reach the model.
     */
    List<Part> userParts(List<Turn.Located> blocks, ModelInfo model, PdfNames pdfNames, boolean withResults) {
        var parts = new ArrayList<Part>(blocks.size());
        int textless = 0;
        for (Turn.Located located : blocks) {
            if (!model.capabilities().pdf() && located.block() instanceof ContentBlock.Document d
                    && "base64".equals(d.source().type()) && !pdfs.extract(d.source().data()).hasText()) {
                textless++;
            }
            add(located.block(), located.path(), model, true, pdfNames, parts);
        }
        if (!withResults && textless > 0 && textless == blocks.size()) {
            throw ApiError.invalidRequest(blocks.get(0).path() + ": " + model.id() + " cannot read PDF files and "
                    + "ncp found no text in " + (textless == 1 ? "this PDF" : "these PDFs") + " (" + parts.stream()
                    .map(p -> p instanceof TextPart t ? t.text() : "").reduce((a, b) -> a + " " + b).orElse("")
                    + "); send its text, or use a model marked pdf: true in the models file");
        }
        return parts;
    }

    /**
     * A tool result's text for the {@code tool} message, and its images and PDFs (when the model can read them):
     * most upstreams take only text in a tool message, so these ride in the user message that follows.
     */
    record ToolResultContent(String text, List<Part> attachments) {
    }

    ToolResultContent toolResult(ContentBlock.ToolResult result, String path, ModelInfo model, PdfNames pdfNames) {
        var parts = new ArrayList<Part>();
        List<ContentBlock> content = result.content() == null ? List.of() : result.content();
        for (int i = 0; i < content.size(); i++) {
            add(content.get(i), path + ".content." + i, model, false, pdfNames, parts);
        }
        var text = new ArrayList<String>();
        var attachments = new ArrayList<Part>();
        for (Part part : parts) {
            switch (part) {
                case TextPart t -> text.add(t.text());
                case ImagePart image -> {
                    attachments.add(image);
                    text.add(IMAGE_FOLLOWS_NOTE);
                }
                case FilePart file -> {
                    attachments.add(file);
                    text.add(FILE_FOLLOWS_NOTE);
                }
            }
        }
        String joined = String.join("\n", text);
        if (result.failed()) {
            joined = "Error: " + (joined.isEmpty() ? "the tool call failed." : joined);
        }
        return new ToolResultContent(joined, attachments);
    }

    /** Plain text when every part is text (joined by newlines, as vLLM joins text parts), else parts; null if empty. */
    static MessageContent toContent(List<Part> parts) {
        if (parts.isEmpty()) {
            return null;
        }
        var texts = new ArrayList<String>(parts.size());
        for (Part part : parts) {
            if (!(part instanceof TextPart t)) {
                return new MessageContent.Parts(parts);
            }
            texts.add(t.text());
        }
        return new MessageContent.Text(String.join("\n", texts));
    }

    private void add(ContentBlock block, String path, ModelInfo model, boolean strict, PdfNames pdfNames,
            List<Part> out) {
        switch (block) {
            case ContentBlock.Text t -> addText(t.text(), out);
            case ContentBlock.Image i -> addImage(i.source(), path, model, strict, out);
            case ContentBlock.Document d -> addDocument(d, path, model, strict, pdfNames, out);
            case ContentBlock.Unknown u -> addText(unknown.textOf(u, path), out);
            case ContentBlock.ToolUse u -> { } // only in assistant turns (validated)
            case ContentBlock.ToolResult r -> { } // placed by ToolResultOrderer
            case ContentBlock.Thinking t -> { } // never forwarded from a user turn
            case ContentBlock.RedactedThinking r -> { }
        }
    }

    private static void addText(String text, List<Part> out) {
        if (text != null && !text.isEmpty()) {
            out.add(new TextPart(text));
        }
    }

    private void addImage(ContentBlock.Source source, String path, ModelInfo model, boolean strict, List<Part> out) {
        if (!model.capabilities().vision()) {
            if (strict) {
                throw ApiError.invalidRequest(path + ": " + model.id() + " cannot read images (it has no vision"
                        + " capability); remove the image or use a vision-capable model"
                        + (visionModelHint == null ? "" : " such as " + visionModelHint));
            }
            out.add(new TextPart(NO_VISION_NOTE));
            return;
        }
        String mediaType = source.mediaType();
        String data = source.data();
        if (!"url".equals(source.type()) && PngConversion.converts(mediaType)) {
            try {
                data = images.toPng(mediaType, data);
                mediaType = "image/png";
            } catch (PngConversion.Unconvertible e) {
                unreadable(strict, path + ".source", "[image omitted: a " + mediaType + " image ncp could not convert"
                        + " to PNG: " + e.getMessage() + "]", "the " + mediaType + " image could not be converted to"
                        + " PNG for the upstream (its vision models take PNG and JPEG): " + e.getMessage(), out);
                return;
            }
        }
        String url = "url".equals(source.type()) ? source.url() : "data:" + mediaType + ";base64," + data;
        out.add(new ImagePart(new ImagePart.ImageUrl(url, null)));
    }

    private void addDocument(ContentBlock.Document doc, String path, ModelInfo model, boolean strict,
            PdfNames pdfNames, List<Part> out) {
        ContentBlock.Source source = doc.source();
        var header = new StringBuilder("[Document").append(doc.title() == null ? "" : ": " + doc.title()).append(']');
        if (doc.context() != null) {
            header.append("\n[Context: ").append(doc.context()).append(']');
        }
        switch (source.type()) {
            case "text" -> out.add(new TextPart(header + "\n" + source.data()));
            case "content" -> {
                out.add(new TextPart(header.toString()));
                List<ContentBlock> inner = source.content();
                for (int i = 0; i < inner.size(); i++) {
                    add(inner.get(i), path + ".source.content." + i, model, strict, pdfNames, out);
                }
            }
            case "url" -> unreadable(strict, path + ".source", header + " [omitted: ncp does not fetch documents"
                    + " by URL (" + source.url() + ")]", "documents by URL are not supported: ncp does not fetch"
                    + " URLs; send the document's text (source type 'text') instead", out);
            default -> addPdf(doc, header.toString(), model, pdfNames, out);
        }
    }

    /**
     * A base64 PDF (the validator allows no other media type): forwarded when the model's capabilities say pdf, else
     * its text page by page (and its context, if any), exactly as the token estimate counts it.
     */
    private void addPdf(ContentBlock.Document doc, String header, ModelInfo model, PdfNames pdfNames,
            List<Part> out) {
        if (!model.capabilities().pdf()) {
            String text = PdfAsText.render(pdfNames.nameOf(doc), pdfs.extract(doc.source().data()));
            out.add(new TextPart(doc.context() == null ? text : "[Context: " + doc.context() + "]\n" + text));
            return;
        }
        out.add(new TextPart(header));
        String name = doc.title() == null || doc.title().isBlank() ? UNTITLED_PDF : doc.title();
        out.add(new FilePart(new FilePart.File(name, "data:" + doc.source().mediaType() + ";base64,"
                + doc.source().data())));
    }

    private static void unreadable(boolean strict, String path, String note, String problem, List<Part> out) {
        if (strict) {
            throw ApiError.invalidRequest(path + ": " + problem);
        }
        out.add(new TextPart(note));
    }
}
