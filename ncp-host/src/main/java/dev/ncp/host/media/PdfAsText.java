package dev.ncp.host.media;

import java.util.ArrayList;
import java.util.List;

/**
 * The text a model without PDF input receives for a PDF: each page under a {@code [PDF name, page N]} line, and a
 * note in brackets for whatever is left out (pages past the limit, pages without a text layer, a PDF that could not
 * be read at all), so the model knows what it has not seen and can say so. The translation sends exactly this and
 * the token estimate counts exactly this.
 */
public final class PdfAsText {

    private PdfAsText() {
    }

    /** What is sent for {@code name}'s PDF: its pages' text, or a note that says why there is none. */
    public static String render(String name, PdfText.Extraction e) {
        String label = "[PDF " + name;
        switch (e.failure()) {
            case TOO_LARGE -> {
                return label + ": not included: it is " + megabytes(e.bytes()) + ", over the "
                        + megabytes(PdfText.MAX_PDF_BYTES) + " ncp extracts text from, and this model cannot read PDF"
                        + " files]";
            }
            case ENCRYPTED -> {
                return label + ": not included: it is password-protected, so its text cannot be read, and this model"
                        + " cannot read PDF files]";
            }
            case UNREADABLE -> {
                return label + ": not included: it is damaged or not a PDF, so its text cannot be read]";
            }
            case NONE -> {
            }
        }
        if (!e.hasText()) {
            return label + ": " + pages(e.totalPages()) + ", none with a text layer (a scanned document?): this model"
                    + " cannot read PDF files, so the pages' content is not included]";
        }
        List<String> out = new ArrayList<>();
        List<String> pages = e.pages();
        for (int i = 0; i < pages.size(); i++) {
            String text = pages.get(i);
            out.add(text.isBlank() ? label + ", page " + (i + 1) + ": no text layer (a scanned page?); not included]"
                    : label + ", page " + (i + 1) + "]\n" + text);
        }
        if (e.truncated()) {
            out.add(label + ": the text stops here: ncp sends at most " + PdfText.MAX_CHARS + " characters of a PDF]");
        } else if (e.totalPages() > pages.size()) {
            out.add(label + ": pages " + (pages.size() + 1) + "–" + e.totalPages() + " not included: ncp extracts the"
                    + " text of at most " + PdfText.MAX_PAGES + " pages]");
        }
        return String.join("\n\n", out);
    }

    private static String pages(int n) {
        return n == 1 ? "1 page" : n + " pages";
    }

    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }
}
