package dev.ncp.bench;

import java.util.Random;

/**
 * Deterministic, realistic-looking source text for benchmark inputs: Java files of the kind a coding agent reads,
 * edits and writes, and the tool output that goes with them. Plain ASCII with quotes, backslashes, tabs and newlines,
 * so JSON escaping is exercised the way real traffic exercises it.
 */
final class SourceSamples {

    private static final String[] NOUNS = {"Order", "Invoice", "Customer", "Shipment", "Ledger", "Session", "Quota",
            "Payment", "Catalog", "Report"};
    private static final String[] VERBS = {"find", "load", "validate", "apply", "merge", "close", "refresh", "export"};

    private SourceSamples() {
    }

    /** A Java class of roughly {@code methods * 12} lines, the same for the same seed. */
    static String javaFile(int seed, int methods) {
        var random = new Random(seed);
        String noun = NOUNS[Math.floorMod(seed, NOUNS.length)];
        var out = new StringBuilder(methods * 600);
        out.append("package dev.example.").append(noun.toLowerCase()).append(";\n\n")
                .append("import java.time.Instant;\nimport java.util.List;\nimport java.util.Map;\n")
                .append("import java.util.Objects;\n\n")
                .append("/** Keeps ").append(noun.toLowerCase()).append(" records consistent across \"stores\". */\n")
                .append("public final class ").append(noun).append("Service").append(seed).append(" {\n\n")
                .append("    private final ").append(noun).append("Repository repository;\n")
                .append("    private final Map<String, Instant> lastSeen;\n\n");
        for (int m = 0; m < methods; m++) {
            String verb = VERBS[random.nextInt(VERBS.length)];
            int limit = 10 + random.nextInt(990);
            out.append("    public List<").append(noun).append("> ").append(verb).append(noun).append(m)
                    .append("(String key, int limit) {\n")
                    .append("        Objects.requireNonNull(key, \"key\");\n")
                    .append("        if (limit <= 0 || limit > ").append(limit).append(") {\n")
                    .append("            throw new IllegalArgumentException(\"limit must be in 1..").append(limit)
                    .append(", was \" + limit);\n")
                    .append("        }\n")
                    .append("        lastSeen.put(key, Instant.now());\n")
                    .append("        return repository.").append(verb).append("ByKey(key).stream()\n")
                    .append("                .filter(r -> !r.path().contains(\"\\\\tmp\\\\\"))\n")
                    .append("                .limit(limit)\n")
                    .append("                .toList();\n")
                    .append("    }\n\n");
        }
        return out.append("}\n").toString();
    }

    /** {@code text} numbered the way Claude Code's Read tool returns a file ({@code cat -n}). */
    static String numbered(String text) {
        var out = new StringBuilder(text.length() + text.length() / 4);
        int line = 1;
        for (String l : text.split("\n", -1)) {
            out.append(String.format("%6d\t", line++)).append(l).append('\n');
        }
        return out.toString();
    }

    /** What a build tool prints for a passing test run of {@code tests} test classes. */
    static String testRunOutput(int seed, int tests) {
        var random = new Random(seed);
        var out = new StringBuilder("> Task :compileJava UP-TO-DATE\n> Task :processResources NO-SOURCE\n"
                + "> Task :compileTestJava\n> Task :test\n\n");
        int total = 0;
        for (int t = 0; t < tests; t++) {
            int count = 3 + random.nextInt(20);
            total += count;
            out.append(NOUNS[random.nextInt(NOUNS.length)]).append("ServiceTest").append(t).append(" > ")
                    .append(count).append(" tests PASSED (").append(random.nextInt(900) + 20).append(" ms)\n");
        }
        return out.append("\nBUILD SUCCESSFUL in ").append(4 + random.nextInt(30)).append("s\n")
                .append(total).append(" tests completed, 0 failed\n").toString();
    }
}
