package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/ncp finds a JDK 21+ by itself, and says in one line what to install when there is none. */
class JdkDiscoveryTest {

    private static final Path FIND_JAVA = BundleProcess.BUILT_BUNDLE.resolve("bin/find-java.sh").toAbsolutePath();

    @TempDir
    Path tmp;

    private record Result(int exit, String out, String err) {
    }

    private Result findJava(Map<String, String> env) throws IOException, InterruptedException {
        return findJava("", env);
    }

    /** ncp_find_java as bin/ncp calls it, with its bundle's directory ({@code bundle} empty: as ncpw calls it). */
    private Result findJava(String bundle, Map<String, String> env) throws IOException, InterruptedException {
        var pb = new ProcessBuilder("bash", "-c",
                ". '" + FIND_JAVA + "' && ncp_find_java '" + bundle + "' && echo \"$JAVA_HOME\"");
        pb.environment().remove("JAVA_HOME");
        pb.environment().putAll(env);
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int exit = p.waitFor();
        return new Result(exit, Files.readString(out).strip(), Files.readString(err).strip());
    }

    /** A fake JDK: a release file and a bin/java, as a JDK directory has. */
    private Path fakeJdk(Path dir, String version) throws IOException {
        Files.createDirectories(dir.resolve("bin"));
        Path java = dir.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"" + version + "\"' >&2\n");
        java.toFile().setExecutable(true);
        Files.writeString(dir.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        return dir;
    }

    @Test
    void theNewestJdkInTheJvmDirectoryIsChosenWhenJavaHomeIsTooOld() throws Exception {
        Path jvm = Files.createDirectories(tmp.resolve("jvm"));
        Path old = fakeJdk(jvm.resolve("java-17"), "17.0.15");
        fakeJdk(jvm.resolve("java-21"), "21.0.5");
        Path newest = fakeJdk(jvm.resolve("temurin-25"), "25.0.1");
        Result r = findJava(Map.of("JAVA_HOME", old.toString(), "NCP_JVM_DIR", jvm.toString(), "PATH", "/usr/bin:/bin"));
        assertEquals(0, r.exit(), r.err());
        assertEquals(newest.toString(), r.out());
    }

    @Test
    void theBundlesOwnRuntimeComesBeforeJavaHomeAndTheJvmDirectory() throws Exception {
        Path bundle = Files.createDirectories(tmp.resolve("ncp-0.1.0"));
        Path runtime = fakeJdk(bundle.resolve("runtime"), "25.0.1");
        Path jvm = Files.createDirectories(tmp.resolve("jvm"));
        fakeJdk(jvm.resolve("temurin-26"), "26.0.1");
        Path home = fakeJdk(tmp.resolve("my-jdk-22"), "22.0.2");
        Result r = findJava(bundle.toString(), Map.of("JAVA_HOME", home.toString(), "NCP_JVM_DIR", jvm.toString()));
        assertEquals(0, r.exit(), r.err());
        assertEquals(runtime.toString(), r.out());
        Result plain = findJava(tmp.resolve("plain-bundle").toString(), Map.of("JAVA_HOME", home.toString()));
        assertEquals(home.toString(), plain.out(), "a bundle without runtime/ looks further, as before");
    }

    @Test
    void aJavaHomeThatIsNewEnoughWins() throws Exception {
        Path jvm = Files.createDirectories(tmp.resolve("jvm"));
        fakeJdk(jvm.resolve("temurin-25"), "25.0.1");
        Path home = fakeJdk(tmp.resolve("my-jdk-22"), "22.0.2");
        Result r = findJava(Map.of("JAVA_HOME", home.toString(), "NCP_JVM_DIR", jvm.toString()));
        assertEquals(0, r.exit(), r.err());
        assertEquals(home.toString(), r.out());
    }

    @Test
    void withNoJdk21AnywhereOneLineSaysWhatToInstall() throws Exception {
        Path jvm = Files.createDirectories(tmp.resolve("jvm"));
        fakeJdk(jvm.resolve("java-17"), "17.0.15");
        Path emptyBin = Files.createDirectories(tmp.resolve("bin"));
        for (String tool : List.of("bash", "sed", "head", "dirname", "readlink", "cat")) {
            Files.createSymbolicLink(emptyBin.resolve(tool), Path.of("/usr/bin", tool).toRealPath());
        }
        Result r = findJava(Map.of("NCP_JVM_DIR", jvm.toString(), "PATH", emptyBin.toString()));
        assertEquals(1, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("ncp: needs a JDK 21 or newer and found none"), r.err());
        assertTrue(r.err().contains("apt-get install openjdk-21-jdk-headless"), r.err());
    }
}
