package dev.ncp.plugin.redis;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for tests: found on PATH, started on a free loopback port with persistence off and its
 * files in a temporary directory, stopped by {@link #close()}. A missing binary fails the test with instructions —
 * the Redis engine is never silently left untested.
 */
final class RedisServerProcess implements AutoCloseable {

    private static final long START_TIMEOUT_MILLIS = 10_000;
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final int port;
    private final Path log;

    private RedisServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts a server with its files under {@code directory}; {@code extraArgs} such as "--requirepass", "pw". */
    static RedisServerProcess start(Path directory, String... extraArgs) {
        Path binary = findOnPath("redis-server").orElseGet(() -> fail(
                "redis-server is not on PATH, and the Redis storage tests need a real server."
                        + " Install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis)."));
        // A port found free can be taken before Redis binds it (other builds share this machine), so retry.
        List<String> failures = new ArrayList<>();
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = freeLoopbackPort();
            Path log = directory.resolve("redis-" + port + ".log");
            Process process = launch(binary, port, directory, log, extraArgs);
            RedisServerProcess server = new RedisServerProcess(process, port, log);
            if (server.awaitReady()) {
                return server;
            }
            server.close();
            failures.add("port " + port + ": " + server.logText());
        }
        return fail("redis-server did not start:\n" + String.join("\n", failures));
    }

    int port() {
        return port;
    }

    /** The URL of this server, for {@code REDIS_URL}. */
    String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Process launch(Path binary, int port, Path directory, Path log, String... extraArgs) {
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", directory.toString()));
        command.addAll(List.of(extraArgs));
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            return fail("cannot run " + binary + ": " + e);
        }
    }

    /** Ready once it answers PING; a server with a password answers NOAUTH, which shows it is up just as well. */
    private boolean awaitReady() {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline && process.isAlive()) {
            String reply = ping();
            if (reply.equals("+PONG") || reply.startsWith("-NOAUTH")) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private String ping() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            return Optional.ofNullable(in.readLine()).orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    private String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** A loopback port nothing listens on right now; also used to test an unreachable server. */
    static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            return fail("no free loopback port: " + e);
        }
    }

    private static Optional<Path> findOnPath(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String directory : path.split(java.io.File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
