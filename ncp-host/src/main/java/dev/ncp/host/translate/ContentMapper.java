package dev.ncp.host.translate;

import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.openai.MessageContent.FilePart;
import dev.ncp.api.openai.MessageContent.ImagePart;
import dev.ncp.api.openai.MessageContent.Part;
import dev.ncp.api.openai.MessageContent.TextPart;
import dev.ncp.api.openai.MessageContent;
import dev.ncp.host.anthropic.ContentBlock;
import dev.ncp.host.anthropic.UnknownBlockText;
import dev.ncp.host.error.ApiError;
import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic user-side content → OpenAI parts. Two strictness levels, because who put the content there differs:
 * <ul>
 *   <li>content the user sent ({@link #userParts}): an image for a model without vision, a PDF for a model whose
 *       capabilities do not include {@code pdf}, or a document by URL is a 400 that says what to do — silently dropping what a person attached would get a confident wrong
 *       answer;</li>
 *   <li>content a tool returned ({@link #toolResult}): the same cases become a short note in the text (the model
 *       can tell the user or try another way), since failing the whole turn would stall an agent loop.</li>
 * </ul>
 * Images travel as {@code image_url} parts ({@code data:} URLs for base64). Text documents become
 * {@code [Document: title]} text; base64 PDFs, for a model that reads them, that header plus an OpenAI {@code file}
 * part (a {@code data:application/pdf} URI). Thinking blocks never travel in content.
 */
final class ContentMapper {

    static final String NO_VISION_NOTE = "[image omitted: model has no vision]";
    static final String IMAGE_FOLLOWS_NOTE = "[image: attached in the next user message]";
    static final String FILE_FOLLOWS_NOTE = "[file: attached in the next user message]";
    /** The file name sent upstream for a PDF without a title (OpenAI wants one with inline file data). */
    static final String UNTITLED_PDF = "document.pdf";

    private final String visionModelHint;
    private final UnknownBlockText unknown;

    /** @param visionModelHint a vision-capable model to suggest in errors (e.g. an alias), or null */
    ContentMapper(String visionModelHint, UnknownBlockText unknown) {
        this.visionModelHint = visionModelHint;
        this.unknown = unknown;
    }

    /** The parts of content a user sent; tool results are not handled here. */
    List<Part> userParts(List<Turn.Located> blocks, ModelInfo model) {
        var parts = new ArrayList<Part>(blocks.size());
        for (Turn.Located located : blocks) {
            add(located.block(), located.path(), model, true, parts);
        }
        return parts;
    }

    /**
     * A tool result's text for the {@code tool} message, and its images and PDFs (when the model can read them):
     * most upstreams take only text in a tool message, so these ride in the user message that follows.
     */
    record ToolResultContent(String text, List<Part> attachments) {
    }

    ToolResultContent toolResult(ContentBlock.ToolResult result, String path, ModelInfo model) {
        var parts = new ArrayList<Part>();
        List<ContentBlock> content = result.content() == null ? List.of() : result.content();
        for (int i = 0; i < content.size(); i++) {
            add(content.get(i), path + ".content." + i, model, false, parts);
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

    private void add(ContentBlock block, String path, ModelInfo model, boolean strict, List<Part> out) {
        switch (block) {
            case ContentBlock.Text t -> addText(t.text(), out);
            case ContentBlock.Image i -> addImage(i.source(), path, model, strict, out);
            case ContentBlock.Document d -> addDocument(d, path, model, strict, out);
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
        String url = "url".equals(source.type()) ? source.url()
                : "data:" + source.mediaType() + ";base64," + source.data();
        out.add(new ImagePart(new ImagePart.ImageUrl(url, null)));
    }

    private void addDocument(ContentBlock.Document doc, String path, ModelInfo model, boolean strict,
            List<Part> out) {
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
                    add(inner.get(i), path + ".source.content." + i, model, strict, out);
                }
            }
            case "url" -> unreadable(strict, path + ".source", header + " [omitted: ncp does not fetch documents"
                    + " by URL (" + source.url() + ")]", "documents by URL are not supported: ncp does not fetch"
                    + " URLs; send the document's text (source type 'text') instead", out);
            default -> addPdf(doc, header.toString(), path, model, strict, out);
        }
    }

    /** A base64 PDF (the validator allows no other media type): forwarded when the model's capabilities say pdf. */
    private static void addPdf(ContentBlock.Document doc, String header, String path, ModelInfo model, boolean strict,
            List<Part> out) {
        if (!model.capabilities().pdf()) {
            unreadable(strict, path, header + " [PDF omitted: " + model.id() + " cannot read PDF files]",
                    "PDF documents cannot be sent to " + model.id() + " (its capabilities do not include pdf);"
                    + " extract the text and send it as a text document (source type 'text') or plain text,"
                    + " or use a model marked pdf: true in the models file", out);
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
