package dev.ncp.logcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.host.config.Secrets;
import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * After a full test run, the logs contain no API key. Every module before this one has run its tests: their
 * surefire reports hold each test class's whole stdout and stderr (log lines, access logs, startup diagnostics),
 * and the bundle tests keep their ncp processes' logs under {@code ncp-dist/target/bundle-logs}. Every key the
 * tests use is credential-shaped ({@code nvapi-…}, {@code sk-ncp-…}, {@code sk-ant-…}), so instead of a list that
 * would go stale, this looks for any such word left unmasked. {@code Secrets.mask} output ({@code nvap…wxyz}) is
 * not one.
 */
class NoKeyInTestLogsTest {

    /** An unmasked credential: the shapes {@code Secrets.scrub} masks (a Bearer token is matched by its key). */
    static final Pattern KEY = Pattern.compile("(?<![A-Za-z0-9])(?:nvapi-|sk-)[A-Za-z0-9_\\-]{8,}");

    private static final Path ROOT = Path.of(System.getProperty("ncp.root", "..")).toAbsolutePath().normalize();

    /** One unmasked key: where, and the key itself masked (a report of leaks must not leak). */
    record Finding(Path file, int line, String masked) {
        @Override
        public String toString() {
            return ROOT.relativize(file) + ":" + line + ": " + masked;
        }
    }

    @Test
    void noTestLogHoldsAnUnmaskedKey() throws IOException {
        List<Path> logs = logs();
        assertTrue(logs.stream().anyMatch(p -> p.toString().contains("ncp-host")),
                "no test reports of ncp-host under " + ROOT + ": run the whole build (./ncpw test) before this module");
        List<Finding> findings = new ArrayList<>();
        for (Path log : logs) {
            findings.addAll(scan(log, read(log)));
        }
        assertEquals(List.of(), findings, "API keys in the logs of " + logs.size() + " files");
    }

    @Test
    void maskedAndScrubbedKeysAreNotFindingsButRawOnesAre() {
        String key = "nvapi-test-0123456789abcdef";
        String proxyKey = "sk-ncp-proxykey-0123456789abcdefghij";
        Path any = ROOT.resolve("x.log");
        assertEquals(List.of(), scan(any, "NVIDIA_API_KEY=" + Secrets.mask(key) + " PROXY_API_KEY="
                + Secrets.mask(proxyKey) + " " + Secrets.scrub("upstream said: invalid key " + key + " / Bearer "
                + proxyKey) + " no-sk-here task-0123456789 nvapi-... sk-…"));
        var found = scan(any, "ok\nAuthorization: Bearer " + key + "\nx-api-key=" + proxyKey);
        assertEquals(2, found.size(), found.toString());
        assertEquals(2, found.get(0).line());
        assertFalse(found.toString().contains(key) || found.toString().contains(proxyKey), "findings are masked");
    }

    /** Surefire and failsafe reports of every module, and the bundle processes' own log files. */
    private static List<Path> logs() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT, 5)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.startsWith(ROOT.resolve("ncp-logcheck")))
                    .filter(NoKeyInTestLogsTest::isLog).sorted().toList();
        }
    }

    private static boolean isLog(Path p) {
        Path dir = p.getParent();
        if (dir.getParent() == null || !dir.getParent().getFileName().toString().equals("target")) {
            return false;
        }
        String name = p.getFileName().toString();
        return switch (dir.getFileName().toString()) {
            case "surefire-reports", "failsafe-reports" -> name.endsWith(".xml") || name.endsWith(".txt")
                    || name.endsWith(".dumpstream");
            case "bundle-logs" -> name.endsWith(".log");
            default -> false;
        };
    }

    /** Logs may hold anything, invalid UTF-8 included: undecodable bytes are replaced, never fatal. */
    private static String read(Path log) throws IOException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(log))).toString();
    }

    static List<Finding> scan(Path file, String text) {
        List<Finding> out = new ArrayList<>();
        Matcher m = KEY.matcher(text);
        while (m.find()) {
            int line = 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
            out.add(new Finding(file, line, Secrets.mask(m.group())));
        }
        return out;
    }
}
