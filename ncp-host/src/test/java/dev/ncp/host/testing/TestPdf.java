package dev.ncp.host.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** A small, valid PDF (one line of text per page, a correct xref table), built in memory for tests. */
public final class TestPdf {

    private TestPdf() {
    }

    /** The base64 of a PDF with one page per line of {@code pageTexts}. */
    public static String base64(String... pageTexts) {
        return Base64.getEncoder().encodeToString(bytes(pageTexts));
    }

    public static byte[] bytes(String... pageTexts) {
        int pages = pageTexts.length;
        var objects = new ArrayList<String>();
        objects.add("<< /Type /Catalog /Pages 2 0 R >>");
        var kids = new StringBuilder();
        for (int p = 0; p < pages; p++) {
            kids.append(p == 0 ? "" : " ").append(4 + 2 * p).append(" 0 R");
        }
        objects.add("<< /Type /Pages /Kids [" + kids + "] /Count " + pages + " >>");
        objects.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        for (int p = 0; p < pages; p++) {
            objects.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>"
                    + " /Contents " + (5 + 2 * p) + " 0 R >>");
            String stream = "BT /F1 12 Tf 72 720 Td (" + pageTexts[p] + ") Tj ET";
            objects.add("<< /Length " + stream.length() + " >>\nstream\n" + stream + "\nendstream");
        }
        return assemble(objects);
    }

    private static byte[] assemble(List<String> objects) {
        var out = new StringBuilder("%PDF-1.4\n");
        var offsets = new ArrayList<Integer>();
        for (int i = 0; i < objects.size(); i++) {
            offsets.add(out.length());
            out.append(i + 1).append(" 0 obj\n").append(objects.get(i)).append("\nendobj\n");
        }
        int xref = out.length();
        out.append("xref\n0 ").append(objects.size() + 1).append("\n0000000000 65535 f \n");
        offsets.forEach(o -> out.append(String.format("%010d 00000 n \n", o)));
        out.append("trailer\n<< /Size ").append(objects.size() + 1).append(" /Root 1 0 R >>\nstartxref\n")
                .append(xref).append("\n%%EOF\n");
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
