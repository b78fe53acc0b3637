package dev.ncp.host.media;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * The text of a base64 PDF, page by page (Apache PDFBox), for models that cannot read PDF files: what
 * {@link PdfAsText} sends them, and what the token estimate counts. The work is bounded: PDFs over
 * {@link #MAX_PDF_BYTES} are not opened, only the first {@link #MAX_PAGES} pages are read (Anthropic's own limit
 * for PDFs), and the text kept stops at {@link #MAX_CHARS}. Results are remembered by the PDF's SHA-256: an agent
 * sends the same PDF again with every turn of its history, and both the estimate and the translation ask.
 *
 * <p>Thread-safe; one per process.
 */
public final class PdfText {

    public static final int MAX_PDF_BYTES = 32 * 1024 * 1024;
    public static final int MAX_PAGES = 100;
    /** About 250k tokens: more than any default model's context window. */
    public static final int MAX_CHARS = 1_000_000;
    private static final long CACHE_MAX_CHARS = 32L * 1024 * 1024;

    /** Why a PDF's text could not be read at all. */
    public enum Failure { NONE, TOO_LARGE, ENCRYPTED, UNREADABLE }

    /**
     * @param pages      the text of each page read, in order (blank for a page without a text layer)
     * @param totalPages the document's page count ({@code pages} holds at most {@link #MAX_PAGES})
     * @param truncated  whether the text stopped at {@link #MAX_CHARS}
     * @param bytes      the PDF's size
     */
    public record Extraction(List<String> pages, int totalPages, boolean truncated, Failure failure, long bytes) {

        public boolean hasText() {
            return pages.stream().anyMatch(p -> !p.isBlank());
        }

        long weight() {
            return 64 + pages.stream().mapToLong(String::length).sum();
        }
    }

    private final Cache<String, Extraction> cache = Caffeine.newBuilder()
            .maximumWeight(CACHE_MAX_CHARS)
            .weigher((String key, Extraction e) -> (int) Math.min(Integer.MAX_VALUE, e.weight()))
            .build();

    /** The text of the PDF whose base64 is {@code base64}. */
    public Extraction extract(String base64) {
        byte[] pdf;
        try {
            pdf = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return failed(Failure.UNREADABLE, 0);
        }
        return cache.get(Digests.sha256(pdf), key -> read(pdf));
    }

    private static Extraction read(byte[] pdf) {
        if (pdf.length > MAX_PDF_BYTES) {
            return failed(Failure.TOO_LARGE, pdf.length);
        }
        try (PDDocument document = Loader.loadPDF(pdf)) {
            int total = document.getNumberOfPages();
            var stripper = new PDFTextStripper();
            List<String> pages = new ArrayList<>();
            long chars = 0;
            boolean truncated = false;
            for (int page = 1; page <= Math.min(total, MAX_PAGES) && !truncated; page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                String text = stripper.getText(document).strip();
                if (chars + text.length() > MAX_CHARS) {
                    text = text.substring(0, (int) (MAX_CHARS - chars));
                    truncated = true;
                }
                chars += text.length();
                pages.add(text);
            }
            return new Extraction(List.copyOf(pages), total, truncated, Failure.NONE, pdf.length);
        } catch (InvalidPasswordException e) {
            return failed(Failure.ENCRYPTED, pdf.length);
        } catch (IOException | RuntimeException e) {
            return failed(Failure.UNREADABLE, pdf.length);
        }
    }

    private static Extraction failed(Failure failure, long bytes) {
        return new Extraction(List.of(), 0, false, failure, bytes);
    }

    /** Digests used as cache keys. */
    static final class Digests {
        private Digests() {
        }

        static String sha256(byte[] bytes) {
            try {
                return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
        }
    }
}
