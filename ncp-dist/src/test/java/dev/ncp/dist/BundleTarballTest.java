package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code .tar.gz} users download: unpacked anywhere, its {@code bin/ncp} runs as it is. */
class BundleTarballTest {

    private static final Path TARBALL = Path.of(System.getProperty("ncp.tarball", "target/ncp.tar.gz"));

    @TempDir
    Path work;

    @Test
    void theUnpackedTarballRunsBinNcpVersion() throws Exception {
        assertTrue(Files.isRegularFile(TARBALL), "the build writes " + TARBALL + " before the tests");
        assertEquals(0, run(work, List.of("tar", "-xzf", TARBALL.toAbsolutePath().toString())).exitValue());

        Path unpacked = work.resolve("ncp-" + BundleStartTest.BUILD_VERSION);
        for (String part : List.of("bin/ncp", "bin/find-java.sh", "lib", "plugins/ncp-plugin-storage-sqlite.jar",
                "conf/config.example.yaml")) {
            assertTrue(Files.exists(unpacked.resolve(part)), part + " is in the tarball");
        }
        assertTrue(Files.isExecutable(unpacked.resolve("bin/ncp")), "bin/ncp keeps its executable bit");
        Path out = work.resolve("version.out");
        Path err = work.resolve("version.err");
        var builder = new ProcessBuilder(unpacked.resolve("bin/ncp").toString(), "--version")
                .directory(work.toFile()).redirectInput(new File("/dev/null"))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("HOME", work.toString());
        Process version = builder.start();
        assertTrue(version.waitFor(60, TimeUnit.SECONDS), "bin/ncp --version did not exit");
        assertEquals(0, version.exitValue(), Files.readString(err));
        assertEquals("ncp " + BundleStartTest.BUILD_VERSION, Files.readString(out).strip());
    }

    private static Process run(Path directory, List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).inheritIO().start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), command + " did not finish");
        return process;
    }
}
