package dev.ncp.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code /v1/ncp/usage} report as a terminal table: the grouped columns first, then the sums, right-aligned
 * numbers, one line per row and a total line when there is more than one row.
 */
final class UsageTable {

    private static final String[] GROUPS = {"day", "hour", "principal", "model", "upstream", "outcome"};
    private static final String[][] SUMS = {{"requests", "requests"}, {"input_tokens", "input"},
            {"output_tokens", "output"}, {"cache_read_input_tokens", "cache read"}, {"errors", "errors"}};

    private UsageTable() {
    }

    static String render(JsonNode report) {
        List<String> groups = new ArrayList<>();
        for (String g : GROUPS) {
            for (JsonNode name : report.path("group_by")) {
                if (name.asText().equals(g)) {
                    groups.add(g);
                }
            }
        }
        List<String> header = new ArrayList<>(groups);
        for (String[] s : SUMS) {
            header.add(s[1]);
        }
        header.add("avg ms");
        header.add("avg ttft ms");
        List<List<String>> lines = new ArrayList<>();
        long[] total = new long[SUMS.length];
        for (JsonNode row : report.path("data")) {
            List<String> line = new ArrayList<>();
            groups.forEach(g -> line.add(row.path(g).asText()));
            for (int i = 0; i < SUMS.length; i++) {
                long v = row.path(SUMS[i][0]).asLong();
                total[i] += v;
                line.add(Long.toString(v));
            }
            line.add(row.path("avg_latency_ms").isNull() ? "-" : row.path("avg_latency_ms").asText());
            line.add(row.path("avg_first_token_ms").isNull() ? "-" : row.path("avg_first_token_ms").asText());
            lines.add(line);
        }
        var out = new StringBuilder("Usage from " + report.path("from").asText() + " to "
                + report.path("to").asText() + "\n");
        if (lines.isEmpty()) {
            return out.append("No requests in this range.\n").toString();
        }
        if (lines.size() > 1) {
            List<String> line = new ArrayList<>();
            for (int i = 0; i < groups.size(); i++) {
                line.add(i == 0 ? "total" : "");
            }
            for (long v : total) {
                line.add(Long.toString(v));
            }
            line.add("");
            line.add("");
            lines.add(line);
        }
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            for (List<String> line : lines) {
                width[c] = Math.max(width[c], line.get(c).length());
            }
        }
        append(out, header, width, groups.size());
        for (List<String> line : lines) {
            append(out, line, width, groups.size());
        }
        return out.toString();
    }

    private static void append(StringBuilder out, List<String> cells, int[] width, int leftAligned) {
        var line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(width[c] - cell.length());
            line.append(c == 0 ? "" : "  ").append(c < leftAligned ? cell + pad : pad + cell);
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
