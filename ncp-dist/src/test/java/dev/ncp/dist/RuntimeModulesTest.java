package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self-contained runtime's module list (ncp-dist's pom, {@code runtime.modules}) covers every module the bundle's
 * jars need, as jdeps finds them: a new dependency that needs another module fails here, not on a user's machine.
 */
class RuntimeModulesTest {

    @TempDir
    Path work;

    /** The modules the pom lists for the runtime. */
    static Set<String> listedModules() {
        String listed = System.getProperty("ncp.runtime.modules", "");
        return Arrays.stream(listed.split(",")).map(String::strip).filter(m -> !m.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyModuleJdepsFindsInTheBundlesJarsIsListed() throws Exception {
        assertTrue(listedModules().contains("java.base"), "the build passes -Dncp.runtime.modules");
        Path bundle = BundleProcess.BUILT_BUNDLE.toAbsolutePath();
        // The tests run on the JDK that builds, whose jdeps is the one the module list was found with.
        Path jdeps = Path.of(System.getProperty("java.home"), "bin", "jdeps");
        List<String> command = new ArrayList<>(List.of(jdeps.toString(), "--print-module-deps",
                "--ignore-missing-deps", "--multi-release", String.valueOf(Runtime.version().feature()),
                "--module-path", bundle.resolve("lib").toString()));
        for (String dir : List.of("lib", "plugins")) {
            try (Stream<Path> jars = Files.list(bundle.resolve(dir))) {
                jars.filter(j -> j.toString().endsWith(".jar")).sorted().forEach(j -> command.add(j.toString()));
            }
        }
        Path out = work.resolve("jdeps.out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "jdeps did not finish");
        String printed = Files.readString(out).strip();
        assertEquals(0, p.exitValue(), printed);
        Set<String> needed = Arrays.stream(printed.lines().reduce((a, b) -> b).orElse("").split(","))
                .map(String::strip).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(needed.contains("java.base"), "jdeps printed the module list: " + printed);
        Set<String> missing = new TreeSet<>(needed);
        missing.removeAll(listedModules());
        assertEquals(Set.of(), missing, "modules the jars need and the runtime lacks (add them to runtime.modules)");
    }
}
