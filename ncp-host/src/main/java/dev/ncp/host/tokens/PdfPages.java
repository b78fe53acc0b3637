package dev.ncp.host.tokens;

import java.util.Base64;

/**
 * Counts the pages of a base64 PDF for token estimates, by counting its page objects ({@code /Type /Page}, not
 * {@code /Pages}) in the raw bytes. Page objects packed into compressed object streams (PDF 1.5+) are not seen:
 * such a file counts as one page, an underestimate the estimate's documentation states. No PDF library: this is a
 * byte scan, cheap next to the request's own parsing.
 */
final class PdfPages {

    private static final byte[] TYPE = "/Type".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] PAGE = "/Page".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private PdfPages() {
    }

    /** The number of page objects found, at least 1 (unreadable base64 counts as one page). */
    static int count(String base64) {
        byte[] pdf;
        try {
            pdf = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return 1;
        }
        int pages = 0;
        for (int i = indexOf(pdf, TYPE, 0); i >= 0; i = indexOf(pdf, TYPE, i + TYPE.length)) {
            int j = i + TYPE.length;
            while (j < pdf.length && isWhitespace(pdf[j])) {
                j++;
            }
            if (startsWith(pdf, PAGE, j) && (j + PAGE.length == pdf.length || !isLetter(pdf[j + PAGE.length]))) {
                pages++;
            }
        }
        return Math.max(1, pages);
    }

    private static int indexOf(byte[] data, byte[] word, int from) {
        for (int i = from; i <= data.length - word.length; i++) {
            if (startsWith(data, word, i)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] data, byte[] word, int at) {
        if (at + word.length > data.length) {
            return false;
        }
        for (int k = 0; k < word.length; k++) {
            if (data[at + k] != word[k]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == '\f' || b == 0;
    }

    private static boolean isLetter(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
    }
}
