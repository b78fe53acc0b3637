package dev.ncp.bench.load;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real bundle started as a user starts it ({@code bin/ncp proxy}, SQLite storage in a fresh home directory),
 * pointed at the scripted upstream: no upstream rate limit, retries at their default. {@code bin/ncp} execs java,
 * so the process's pid is the JVM's and {@code /proc/<pid>} measures ncp alone.
 */
final class NcpProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path home;
    private final long startNanos;

    private NcpProcess(Process process, int port, Path home, long startNanos) {
        this.process = process;
        this.port = port;
        this.home = home;
        this.startNanos = startNanos;
    }

    /** Starts {@code bundle/bin/ncp proxy}; {@code env} adds or overrides settings (e.g. R2_PING_INTERVAL). */
    static NcpProcess start(Path bundle, String upstreamBaseUrl, Map<String, String> env) throws IOException {
        int port = freePort();
        Path home = Files.createTempDirectory("ncp-load-");
        ProcessBuilder builder = new ProcessBuilder(bundle.resolve("bin/ncp").toString(), "proxy")
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("ncp.log").toFile());
        Map<String, String> e = builder.environment();
        e.put("HOME", home.toString());
        e.put("NCP_HOME", home.resolve(".ncp").toString());
        e.put("NCP_SQLITE_PATH", home.resolve("ncp.db").toString());
        e.put("STORAGE_ENGINE", "sqlite");
        e.put("PROXY_PORT", Integer.toString(port));
        e.put("NVIDIA_BASE_URL", upstreamBaseUrl);
        e.put("NCP_UPSTREAM_RPM", "0");
        e.remove("NVIDIA_API_KEY");
        e.remove("PROXY_API_KEY");
        e.putAll(env);
        long start = System.nanoTime();
        return new NcpProcess(builder.start(), port, home, start);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    long startNanos() {
        return startNanos;
    }

    ProcStats stats() {
        return ProcStats.of(process.pid());
    }

    /** Waits for {@code GET /health} to say healthy; fails with the log when the process dies or takes too long. */
    NcpProcess awaitHealthy(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/health")).build();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IOException("ncp exited with " + process.exitValue() + ":\n" + log());
                }
                try {
                    HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200 && r.body().contains("\"healthy\":true")) {
                        return this;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(10);
            }
        }
        throw new IOException("ncp was not healthy within " + timeout + ":\n" + log());
    }

    String log() throws IOException {
        Path log = home.resolve("ncp.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
