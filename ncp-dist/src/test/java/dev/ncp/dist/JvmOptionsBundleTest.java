package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/ncp's JVM options: its memory policy by default, the user's heap size or collector from JAVA_OPTS instead, and
 * a start-up cache that does not fit skipped without a word. The options are read from the running JVM's
 * /proc/PID/cmdline (bin/ncp execs java).
 */
class JvmOptionsBundleTest {

    @TempDir
    Path work;

    @Test
    void byDefaultTheSerialCollectorAndABoundedHeapThatStartsSmall() throws Exception {
        try (var ncp = new BundleProcess(work).start()) {
            List<String> options = jvmOptions(ncp);
            assertTrue(options.containsAll(List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmx512m", "-XX:NewSize=40m")),
                    options.toString());
            // bin/ncp runs the JDK these tests run on (./ncpw's JAVA_HOME); the option exists from JDK 22.
            assertEquals(Runtime.version().feature() >= 22, options.contains("-XX:TrimNativeHeapInterval=5000"),
                    options.toString());
        }
    }

    @Test
    void aCollectorAndAHeapSizeInJavaOptsReplaceThePolicy() throws Exception {
        var ncp = new BundleProcess(work).env("JAVA_OPTS", "-Duser.home=" + work.resolve("home")
                + " -XX:+UseG1GC -Xmx300m");
        try (ncp) {
            ncp.start();
            List<String> options = jvmOptions(ncp);
            assertTrue(options.containsAll(List.of("-XX:+UseG1GC", "-Xmx300m")), options.toString());
            for (String ours : List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmx512m", "-XX:NewSize=40m")) {
                assertFalse(options.contains(ours), ours + " beside the user's choice: " + options);
            }
        }
    }

    @Test
    void onlyAnInitialHeapInJavaOptsLeavesTheCollectorButNoHeapBoundOfOurs() throws Exception {
        // -Xms600m beside our -Xmx512m would stop the JVM ("Incompatible minimum and maximum heap sizes").
        var ncp = new BundleProcess(work).env("JAVA_OPTS", "-Duser.home=" + work.resolve("home") + " -Xms600m");
        try (ncp) {
            ncp.start();
            List<String> options = jvmOptions(ncp);
            assertTrue(options.containsAll(List.of("-XX:+UseSerialGC", "-Xms600m")), options.toString());
            assertFalse(options.contains("-Xmx512m"), options.toString());
            assertFalse(options.contains("-Xms64m") || options.contains("-XX:NewSize=40m"), options.toString());
        }
    }

    @Test
    void aStartUpCacheThatDoesNotFitIsSkippedWithoutAWord() throws Exception {
        var ncp = new BundleProcess(work);
        Path lib = ncp.ownLibDir();
        // Not a cache at all: the worst a stale or foreign one can be.
        Files.writeString(lib.resolve("ncp.aot"), "not an AOT cache");
        Files.writeString(lib.resolve("ncp.jsa"), "not a CDS archive");
        try (ncp) {
            ncp.start();
            String cache = javaMajor() >= 25 ? "-XX:AOTCache=" + lib.resolve("ncp.aot")
                    : "-XX:SharedArchiveFile=" + lib.resolve("ncp.jsa");
            assertTrue(jvmOptions(ncp).contains(cache), jvmOptions(ncp).toString());
            // Nothing from the JVM: stderr holds ncp's own INFO log lines only, stdout its start-up banner.
            for (String line : ncp.stderr().lines().toList()) {
                assertTrue(line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO .*"), line);
            }
            assertTrue(ncp.stdout().startsWith("ncp "), ncp.stdout());
        }
    }

    private static List<String> jvmOptions(BundleProcess ncp) throws IOException {
        byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(ncp.pid()), "cmdline"));
        return Arrays.asList(new String(cmdline, StandardCharsets.UTF_8).split("\0"));
    }

    /** The feature version of the JDK bin/ncp runs: the one find-java.sh picks, as bin/ncp does. */
    private static int javaMajor() throws IOException, InterruptedException {
        Path findJava = BundleProcess.BUILT_BUNDLE.resolve("bin/find-java.sh").toAbsolutePath();
        Process p = new ProcessBuilder("bash", "-c",
                ". '" + findJava + "' && ncp_find_java && ncp_java_major \"$JAVA_HOME\"").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), "find-java.sh failed");
        return Integer.parseInt(out);
    }
}
