package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A built tarball as a user meets it: unpacked into a directory of its own, its commands run in an empty environment
 * ({@code PATH=/usr/bin:/bin}, where {@code java} may be older than 21, no {@code JAVA_HOME}, no JDK directory to
 * search: {@code NCP_JVM_DIR} is empty), with a HOME of its own.
 */
final class UnpackedTarball {

    static final Path SELF_CONTAINED = Path.of(System.getProperty("ncp.selfcontained.tarball",
            "target/ncp-" + BundleStartTest.BUILD_VERSION + "-linux-x64.tar.gz")).toAbsolutePath();
    private static final Pattern LISTENING = Pattern.compile(" listening on (http://\\S+)");

    private final Path work;
    private final Path home;
    private final Path noJdks;

    /** The empty environment's HOME and JDK directory are created under {@code work}. */
    UnpackedTarball(Path work) throws IOException {
        this.work = work;
        this.home = Files.createDirectories(work.resolve("home"));
        this.noJdks = Files.createDirectories(work.resolve("no-jdks"));
    }

    Path home() {
        return home;
    }

    /** Unpacks {@code tarball} into {@code into} and returns its one top directory, {@code ncp-<version>}. */
    static Path unpack(Path tarball, Path into) throws IOException, InterruptedException {
        assertTrue(Files.isRegularFile(tarball), "the build writes " + tarball + " before the tests");
        Files.createDirectories(into);
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", into.toString()).inheritIO().start();
        assertTrue(tar.waitFor(120, TimeUnit.SECONDS), "tar did not finish");
        assertEquals(0, tar.exitValue(), "tar -xzf " + tarball);
        Path top = into.resolve("ncp-" + BundleStartTest.BUILD_VERSION);
        assertTrue(Files.isExecutable(top.resolve("bin/ncp")), "the tarball holds ncp-<version>/bin/ncp");
        return top;
    }

    /** A process started in the empty environment, plus {@code extra} variables. */
    ProcessBuilder command(List<String> command, Map<String, String> extra) {
        var pb = new ProcessBuilder(command).directory(work.toFile()).redirectInput(new File("/dev/null"));
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", home.toString());
        env.put("NCP_JVM_DIR", noJdks.toString());
        env.putAll(extra);
        return pb;
    }

    /** Runs {@code command} to completion in the empty environment; its exit code and output. */
    Result run(List<String> command, Map<String, String> extra) throws IOException, InterruptedException {
        Path out = Files.createTempFile(work, "out", ".log");
        Path err = Files.createTempFile(work, "err", ".log");
        Process p = command(command, extra).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), command + " did not exit");
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    record Result(int exit, String out, String err) {
    }

    /**
     * {@code bin/ncp proxy --port 0} (the proxy picks a free port and says it) in the empty environment: its upstream
     * is a closed local port, nothing here needs one.
     */
    Proxy startProxy(Path ncpHome, List<String> prefix, Map<String, String> extra)
            throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(ncpHome.resolve("bin/ncp").toString(), "proxy", "--port", "0"));
        return start(command, extra);
    }

    /** Starts {@code command}, which starts the proxy, in the empty environment (the upstream a closed port). */
    Proxy start(List<String> command, Map<String, String> extra) throws IOException {
        Map<String, String> env = new HashMap<>(Map.of("NVIDIA_BASE_URL", "http://127.0.0.1:9/v1"));
        env.putAll(extra);
        Path log = Files.createTempFile(BundleProcess.logDirectory(), "unpacked-ncp", ".log");
        Process process = command(command, env).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Proxy(process, log, env.get("PROXY_API_KEY"));
    }

    /** A proxy started from the unpacked tarball; closing it stops it. */
    static final class Proxy implements AutoCloseable {
        private final Process process;
        private final Path log;
        /** The proxy's PROXY_API_KEY, when it has one: then /health, like every endpoint, wants it. */
        private final String apiKey;
        private String base;

        private Proxy(Process process, Path log, String apiKey) {
            this.process = process;
            this.log = log;
            this.apiKey = apiKey;
        }

        /** bin/ncp execs java: this is the JVM's pid. */
        long pid() {
            return process.pid();
        }

        /** Waits for the "listening on" line, then for {@code /health} to answer 200; returns its body. */
        String awaitHealthy() throws IOException, InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            var client = HttpClient.newHttpClient();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError("ncp exited with " + process.exitValue() + ": " + log());
                }
                Matcher m = LISTENING.matcher(log());
                if (m.find()) {
                    // A proxy listening on every address is reached on loopback.
                    base = m.group(1).replace("//0.0.0.0:", "//127.0.0.1:");
                    var request = HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(2));
                    if (apiKey != null) {
                        request.header("x-api-key", apiKey);
                    }
                    try {
                        HttpResponse<String> health = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                        assertEquals(200, health.statusCode(), health.body());
                        return health.body();
                    } catch (IOException notYet) {
                        // listening is printed as the socket opens; the first request may still race it
                    }
                }
                Thread.sleep(50);
            }
            throw new AssertionError("ncp did not answer /health within 60 s: " + log());
        }

        String url(String path) {
            return base + path;
        }

        String log() throws IOException {
            return Files.readString(log);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
