package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self-contained tarball ({@code ncp-<version>-linux-x64.tar.gz}): unpacked anywhere, {@code bin/ncp} runs on the
 * Java runtime inside it, so it works where only an older Java, or none, is installed.
 */
class SelfContainedTarballTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void binNcpVersionRunsWithNoJdk21Installed() throws Exception {
        Path ncp = UnpackedTarball.unpack(UnpackedTarball.SELF_CONTAINED, work.resolve("unpacked"));
        var user = new UnpackedTarball(work);
        var version = user.run(List.of(ncp.resolve("bin/ncp").toString(), "--version"), Map.of());
        assertEquals(0, version.exit(), version.err());
        assertEquals("ncp " + BundleStartTest.BUILD_VERSION, version.out().strip());
    }

    @Test
    void theProxyAnswersHealthFromTheJvmInsideTheTarball() throws Exception {
        Path ncp = UnpackedTarball.unpack(UnpackedTarball.SELF_CONTAINED, work.resolve("unpacked"));
        var user = new UnpackedTarball(work);
        try (var proxy = user.startProxy(ncp, List.of(), Map.of())) {
            var health = JSON.readTree(proxy.awaitHealthy());
            assertEquals("ok", health.path("status").asText(), health.toString());
            assertEquals(BundleStartTest.BUILD_VERSION, health.path("version").asText());
            // The running executable, as the kernel sees it: not a java found on PATH or in a JDK directory.
            Path exe = Files.readSymbolicLink(Path.of("/proc", String.valueOf(proxy.pid()), "exe"));
            assertEquals(ncp.resolve("runtime/bin/java").toRealPath(), exe, "the JVM that runs the proxy");
            assertTrue(Files.exists(user.home().resolve(".ncp/ncp.db")), "its data goes under its HOME");
        }
    }

    @Test
    void theRuntimeHoldsTheModulesThePomListsAndNoCompiler() throws Exception {
        Path ncp = UnpackedTarball.unpack(UnpackedTarball.SELF_CONTAINED, work.resolve("unpacked"));
        // jlink writes the image's modules (the listed ones and what they require) into its release file.
        String release = Files.readString(ncp.resolve("runtime/release"));
        Set<String> modules = release.lines().filter(l -> l.startsWith("MODULES="))
                .map(l -> l.substring("MODULES=".length()).replace("\"", ""))
                .flatMap(l -> Arrays.stream(l.split(" "))).collect(Collectors.toSet());
        assertTrue(modules.containsAll(RuntimeModulesTest.listedModules()), release);
        assertTrue(!modules.contains("jdk.compiler") && !modules.contains("jdk.jshell"),
                "a runtime to run ncp, not a JDK: " + modules);
        assertTrue(!Files.exists(ncp.resolve("lib/ncp.jsa")), "no AppCDS archive of another JDK");
    }
}
