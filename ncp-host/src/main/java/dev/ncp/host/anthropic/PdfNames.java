package dev.ncp.host.anthropic;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names a request's base64 PDFs go by when their text is sent in their place: the document's title when it has
 * one, else "document N", N counting the request's PDFs in order (system, then messages, tool results included).
 * Computed once per request, so the translation and the token estimate name every PDF alike.
 */
public final class PdfNames {

    private final Map<ContentBlock.Document, String> names = new IdentityHashMap<>();
    private int untitled;

    private PdfNames() {
    }

    public static PdfNames of(MessagesRequest request) {
        var names = new PdfNames();
        names.walk(request.system());
        request.messages().forEach(m -> names.walk(m.content()));
        return names;
    }

    /** The name of {@code document}, one of this request's blocks (a block of another request: "document"). */
    public String nameOf(ContentBlock.Document document) {
        return names.getOrDefault(document, "document");
    }

    private void walk(List<ContentBlock> blocks) {
        if (blocks == null) {
            return;
        }
        for (ContentBlock block : blocks) {
            switch (block) {
                case ContentBlock.Document d when d.source() != null && "base64".equals(d.source().type()) ->
                        names.put(d, d.title() == null || d.title().isBlank() ? "document " + ++untitled
                                : d.title().strip());
                case ContentBlock.Document d when d.source() != null && "content".equals(d.source().type()) ->
                        walk(d.source().content());
                case ContentBlock.ToolResult r -> walk(r.content());
                default -> { }
            }
        }
    }
}
