package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./ncpw run} builds only when the bundle is out of date, and says why in one line, with Maven's progress shown.
 * The real {@code ncpw} runs in a small checkout of its own (a git repository with a pom, main and test sources);
 * Maven is not what is under test here (the other tests run against what it builds), so {@code mvn} on PATH is a
 * stand-in that records its arguments, prints a progress line and lays out a bundle whose {@code bin/ncp} says it
 * started.
 */
class NcpwRunTest {

    private static final String MVN = """
            #!/usr/bin/env bash
            # Stand-in Maven: records its arguments, shows progress, lays out the bundle.
            root=$(dirname "$(readlink -f "$4")")  # ncpw calls: mvn -B -ntp -f ROOT/pom.xml ...
            echo "$*" >>"$root/mvn-calls.log"
            echo "[INFO] Building ncp (stand-in)"
            mkdir -p "$root/ncp-dist/target/ncp/bin" "$root/ncp-dist/target/ncp/lib"
            printf '#!/bin/sh\\necho "ncp started $*"\\n' >"$root/ncp-dist/target/ncp/bin/ncp"
            chmod +x "$root/ncp-dist/target/ncp/bin/ncp"
            date +%s%N >"$root/ncp-dist/target/ncp/lib/ncp-host.jar"
            """;

    @TempDir
    Path checkout;

    @BeforeEach
    void aCheckoutWithSourcesAndTests() throws Exception {
        Path repository = BundleProcess.REPOSITORY_ROOT;
        Files.copy(repository.resolve("ncpw"), checkout.resolve("ncpw"));
        checkout.resolve("ncpw").toFile().setExecutable(true);
        Path findJava = Path.of("ncp-dist/src/main/bundle/bin/find-java.sh");
        Files.createDirectories(checkout.resolve(findJava).getParent());
        Files.copy(repository.resolve(findJava), checkout.resolve(findJava));
        Files.writeString(checkout.resolve("pom.xml"), "<project/>\n");
        Files.writeString(Files.createDirectories(checkout.resolve("ncp-host/src/main/java")).resolve("A.java"), "");
        Files.writeString(Files.createDirectories(checkout.resolve("ncp-host/src/test/java")).resolve("ATest.java"), "");
        Files.writeString(checkout.resolve(".gitignore"), "target/\nmvn-calls.log\nbin/\n");
        Path mvn = Files.writeString(Files.createDirectories(checkout.resolve("bin")).resolve("mvn"), MVN);
        mvn.toFile().setExecutable(true);
        run(List.of("git", "init", "-q"));
        // Sources older than any build, as in a checkout edited a while ago.
        Instant past = Instant.now().minusSeconds(3600);
        for (String f : List.of("ncpw", "pom.xml", "ncp-host/src/main/java/A.java", "ncp-host/src/test/java/ATest.java")) {
            Files.setLastModifiedTime(checkout.resolve(f), FileTime.from(past));
        }
    }

    private record Run(String out, String err) {
    }

    private Run ncpwRun() throws Exception {
        return run(List.of(checkout.resolve("ncpw").toString(), "run", "--version"));
    }

    private Run run(List<String> command) throws Exception {
        Path out = Files.createTempFile(checkout, "out", ".log");
        Path err = Files.createTempFile(checkout, "err", ".log");
        var pb = new ProcessBuilder(command).directory(checkout.toFile()).redirectInput(new File("/dev/null"))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("PATH", checkout.resolve("bin") + ":/usr/bin:/bin");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), command + " did not exit");
        String stdout = Files.readString(out);
        String stderr = Files.readString(err);
        Files.delete(out);
        Files.delete(err);
        assertEquals(0, p.exitValue(), stdout + stderr);
        return new Run(stdout, stderr);
    }

    private int mavenRuns() throws Exception {
        Path calls = checkout.resolve("mvn-calls.log");
        return Files.exists(calls) ? Files.readAllLines(calls).size() : 0;
    }

    private void touchNow(String file) throws Exception {
        Files.setLastModifiedTime(checkout.resolve(file), FileTime.from(Instant.now()));
    }

    @Test
    void aFirstRunBuildsWithProgressAndSaysWhy() throws Exception {
        Run first = ncpwRun();
        assertEquals("ncpw: building ncp first (no build yet); later runs start it at once while nothing changes",
                first.err().strip());
        assertTrue(first.out().contains("[INFO] Building ncp (stand-in)"), "Maven's progress shows: " + first.out());
        assertTrue(first.out().endsWith("ncp started --version\n"), first.out());
        String call = Files.readString(checkout.resolve("mvn-calls.log"));
        assertTrue(call.contains("-Pcds package") && !call.contains(" -q"), "a build with its start-up cache: " + call);
    }

    @Test
    void anUnchangedTreeStartsTheBuiltBundleWithoutMaven() throws Exception {
        ncpwRun();
        Files.writeString(checkout.resolve("ncp-host/src/test/java/ATest.java"), "// a test edited: not the bundle\n");
        touchNow("ncp-host/src/test/java/ATest.java");
        Run second = ncpwRun();
        assertEquals("", second.err());
        assertEquals("ncp started --version\n", second.out());
        assertEquals(1, mavenRuns());
    }

    @Test
    void anEditedSourceIsRebuiltAndNamed() throws Exception {
        ncpwRun();
        touchNow("ncp-host/src/main/java/A.java");
        Run again = ncpwRun();
        assertTrue(again.err().contains("(ncp-host/src/main/java/A.java changed since the last build)"), again.err());
        assertEquals(2, mavenRuns());
        assertEquals("", ncpwRun().err(), "built once, current after");
        assertEquals(2, mavenRuns());
    }

    @Test
    void aNewOrRemovedSourceIsRebuilt() throws Exception {
        ncpwRun();
        Path added = Files.writeString(checkout.resolve("ncp-host/src/main/java/B.java"), "");
        Files.setLastModifiedTime(added, FileTime.from(Instant.now().minusSeconds(3600)));
        assertTrue(ncpwRun().err().contains("(files were added or removed since the last build)"));
        Files.delete(added);
        assertTrue(ncpwRun().err().contains("(files were added or removed since the last build)"));
        assertEquals(3, mavenRuns());
    }

    @Test
    void aBundleRewrittenByAnotherMavenRunIsRebuiltWithItsCache() throws Exception {
        ncpwRun();
        Files.writeString(checkout.resolve("ncp-dist/target/ncp/lib/ncp-host.jar"), "rebuilt by mvn package");
        Run again = ncpwRun();
        assertTrue(again.err().contains("another Maven run rebuilt the bundle since"), again.err());
        assertEquals(2, mavenRuns());
        assertFalse(ncpwRun().err().contains("building"));
    }
}
