package dev.ncp.dist;

import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.stream.Stream;

/**
 * The ncp bundle started the way a user starts it: {@code bin/ncp proxy} as a separate process, from a private copy
 * of the bundle (so tests may drop plugins into it), with its own HOME and SQLite file.
 */
final class BundleProcess implements AutoCloseable {

    static final Path BUILT_BUNDLE = Path.of(System.getProperty("ncp.bundle.dir", "target/ncp"));
    /** The repository's root: tests run in the ncp-dist module directory. */
    static final Path REPOSITORY_ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();

    private final Path home;
    private final Path bundle;
    private final Map<String, String> env = new HashMap<>();
    private final List<String> args = new ArrayList<>();
    private Path directory;
    private Process process;
    private Path stdout;
    private Path stderr;
    private int port;

    /** Copies the built bundle (lib/ is linked, not copied: it is read-only at run time). */
    BundleProcess(Path workDir) throws IOException {
        this.home = Files.createDirectories(workDir.resolve("home"));
        this.bundle = workDir.resolve("ncp");
        Files.createDirectories(bundle);
        Files.createSymbolicLink(bundle.resolve("lib"), BUILT_BUNDLE.resolve("lib").toAbsolutePath());
        for (String dir : List.of("bin", "plugins", "conf")) {
            copyTree(BUILT_BUNDLE.resolve(dir), bundle.resolve(dir));
        }
        bundle.resolve("bin/ncp").toFile().setExecutable(true);
        env.put("NCP_SQLITE_PATH", workDir.resolve("ncp.db").toString());
    }

    Path bundle() {
        return bundle;
    }

    /** The HOME (and Java user.home) of {@code bin/ncp}: its {@code ~/.ncp} is {@code home().resolve(".ncp")}. */
    Path home() {
        return home;
    }

    Path pluginsDir() {
        return bundle.resolve("plugins");
    }

    /** Makes lib/ a directory of its own (links to the built jars), so a test may add files to it. */
    Path ownLibDir() throws IOException {
        Path lib = bundle.resolve("lib");
        Path built = BUILT_BUNDLE.resolve("lib").toAbsolutePath();
        Files.delete(lib);
        Files.createDirectories(lib);
        try (Stream<Path> jars = Files.list(built)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.createSymbolicLink(lib.resolve(jar.getFileName()), jar);
            }
        }
        return lib;
    }

    /** The JVM's pid: bin/ncp execs java, so it is the launched process's. */
    long pid() {
        return process.pid();
    }

    BundleProcess env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** The working directory of {@code bin/ncp} (default: the test's own). */
    BundleProcess directory(Path workingDirectory) {
        this.directory = workingDirectory;
        return this;
    }

    BundleProcess arg(String... more) {
        args.addAll(List.of(more));
        return this;
    }

    /** Starts {@code bin/ncp proxy --port <free port>} and waits until {@code /health} answers (any status). */
    BundleProcess start() throws IOException, InterruptedException {
        return start("proxy");
    }

    /** Like {@link #start()}, with the proxy started by {@code subcommand} (an alias of {@code proxy}). */
    BundleProcess start(String subcommand) throws IOException, InterruptedException {
        port = freePort();
        List<String> command = new ArrayList<>(List.of(bundle.resolve("bin/ncp").toString(), subcommand,
                "--port", String.valueOf(port)));
        command.addAll(args);
        launch(command, logDirectory());
        awaitHealth(Duration.ofSeconds(30));
        return this;
    }

    /** Runs {@code bin/ncp} with {@code command} to completion and returns its exit code. */
    int runToExit(List<String> command, Duration timeout) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of(bundle.resolve("bin/ncp").toString()));
        full.addAll(command);
        // A command's stdout is its answer to the user, not a log (`ncp keys add` prints the new key there, once).
        launch(full, Path.of(System.getProperty("java.io.tmpdir")));
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError("ncp did not exit within " + timeout + "; stderr: " + stderr());
        }
        return process.exitValue();
    }

    private void launch(List<String> command, Path stdoutDirectory) throws IOException {
        stdout = Files.createTempFile(stdoutDirectory, "ncp-out", ".log");
        stderr = Files.createTempFile(logDirectory(), "ncp-err", ".log");
        var pb = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .redirectInput(new java.io.File("/dev/null"));
        if (directory != null) {
            pb.directory(directory.toFile());
        }
        // Nothing from the developer's own setup may leak in: ncp's settings, nor a real Anthropic key, base URL or
        // model override that `ncp code` would hand on to Claude Code.
        pb.environment().keySet().removeIf(k -> k.startsWith("NVIDIA_") || k.startsWith("PROXY_")
                || k.startsWith("NCP_") || k.startsWith("STORAGE_") || k.startsWith("REDIS_")
                || k.startsWith("ANTHROPIC_") || k.startsWith("CLAUDE_"));
        pb.environment().put("HOME", home.toString());
        // Java takes user.home from the password database, not from HOME: without this, ~/.ncp would be the real one.
        pb.environment().put("JAVA_OPTS", "-Duser.home=" + home);
        pb.environment().putAll(env);
        process = pb.start();
    }

    private void awaitHealth(Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        var client = HttpClient.newHttpClient();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("ncp exited with " + process.exitValue() + ": " + stderr() + stdout());
            }
            try {
                client.send(HttpRequest.newBuilder(URI.create(url("/health"))).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("ncp did not answer /health within " + timeout + "; stderr: " + stderr());
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    String stdout() throws IOException {
        return Files.readString(stdout);
    }

    String stderr() throws IOException {
        return Files.readString(stderr);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed; {@link #start()} may be called again after. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * Where the bundle's processes log: {@code target/bundle-logs}, which ncp-logcheck scans for API keys after the
     * whole build (so they are kept, not left in /tmp).
     */
    static Path logDirectory() throws IOException {
        return Files.createDirectories(Path.of("target", "bundle-logs"));
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            Files.createDirectories(to);
            return;
        }
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
