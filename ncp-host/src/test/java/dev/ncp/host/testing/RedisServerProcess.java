package dev.ncp.host.testing;

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
 * A real {@code redis-server} for tests (this one serves the storage-redis plugin's tests too): found on PATH,
 * started on a free loopback port with its files in a given directory, stopped by {@link #close()}. It can be
 * killed with SIGKILL and started again on the same port and directory — with {@link #durable} persistence
 * ({@code appendonly yes}, {@code appendfsync always}) nothing acknowledged before the kill is lost. A missing
 * binary fails the test with instructions: Redis is never silently left untested.
 */
public final class RedisServerProcess implements AutoCloseable {

    private static final long START_TIMEOUT_MILLIS = 10_000;
    private static final int START_ATTEMPTS = 3;

    /** The server's arguments after the binary, given its port and directory. */
    private interface Arguments {
        List<String> of(int port, Path directory) throws IOException;
    }

    private final Path binary;
    private final Path directory;
    private final Arguments arguments;
    private final boolean tls;
    private final int port;
    private Process process;

    private RedisServerProcess(Path binary, Path directory, Arguments arguments, boolean tls, int port) {
        this.binary = binary;
        this.directory = directory;
        this.arguments = arguments;
        this.tls = tls;
        this.port = port;
    }

    /** A server without persistence, its files under {@code directory}; {@code extraArgs} such as "--requirepass". */
    public static RedisServerProcess start(Path directory, String... extraArgs) {
        return start(directory, false, List.of(extraArgs));
    }

    /** A server that writes every command to its append-only file before answering. */
    public static RedisServerProcess durable(Path directory) {
        return start(directory, true, List.of());
    }

    /**
     * A Redis Sentinel (redis-server in sentinel mode) watching the primary on {@code primaryPort} under
     * {@code masterName}, with a quorum of one; its config file (which Sentinel rewrites) lives in {@code directory}.
     */
    public static RedisServerProcess sentinel(Path directory, String masterName, int primaryPort) {
        return start(directory, (port, dir) -> {
            Path config = dir.resolve("sentinel-" + port + ".conf");
            Files.writeString(config, String.join("\n", "port " + port, "bind 127.0.0.1", "dir " + dir,
                    "sentinel monitor " + masterName + " 127.0.0.1 " + primaryPort + " 1", ""));
            return List.of(config.toString(), "--sentinel");
        });
    }

    /**
     * A server that speaks only TLS on its port, with {@code certificate} (clients are not asked for one). It must
     * be a build with TLS, as Debian's is; {@link #url()} then starts with {@code rediss://}.
     */
    public static RedisServerProcess tls(Path directory, SelfSignedCertificate certificate) {
        return start(directory, true, (port, dir) -> List.of("--port", "0", "--tls-port", Integer.toString(port),
                "--tls-cert-file", certificate.certificatePem().toString(),
                "--tls-key-file", certificate.privateKeyPem().toString(),
                "--tls-ca-cert-file", certificate.certificatePem().toString(), "--tls-auth-clients", "no",
                "--bind", "127.0.0.1", "--dir", dir.toString(), "--save", "", "--appendonly", "no"));
    }

    private static RedisServerProcess start(Path directory, boolean durable, List<String> extraArgs) {
        return start(directory, (port, dir) -> {
            List<String> command = new ArrayList<>(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--dir", dir.toString(), "--save", ""));
            command.addAll(durable ? List.of("--appendonly", "yes", "--appendfsync", "always")
                    : List.of("--appendonly", "no"));
            command.addAll(extraArgs);
            return command;
        });
    }

    private static RedisServerProcess start(Path directory, Arguments arguments) {
        return start(directory, false, arguments);
    }

    private static RedisServerProcess start(Path directory, boolean tls, Arguments arguments) {
        Path binary = findOnPath("redis-server").orElseGet(() -> fail(
                "redis-server is not on PATH, and the storage tests need a real server."
                        + " Install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis)."));
        // A port found free can be taken before Redis binds it (other builds share this machine), so retry.
        List<String> failures = new ArrayList<>();
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            var server = new RedisServerProcess(binary, directory, arguments, tls, freeLoopbackPort());
            if (server.launch()) {
                return server;
            }
            failures.add("port " + server.port + ": " + server.logText());
        }
        return fail("redis-server did not start:\n" + String.join("\n", failures));
    }

    public int port() {
        return port;
    }

    /** The URL of this server, for {@code REDIS_URL}. */
    public String url() {
        return (tls ? "rediss" : "redis") + "://127.0.0.1:" + port;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown, no final save. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts the server again on the same port and directory (after {@link #kill()} or {@link #close()}). */
    public void restart() {
        if (!launch()) {
            fail("redis-server did not restart on port " + port + ": " + logText());
        }
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
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

    private boolean launch() {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        try {
            command.addAll(arguments.of(port, directory));
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
        } catch (IOException e) {
            return fail("cannot run " + binary + ": " + e);
        }
        if (awaitReady()) {
            return true;
        }
        close();
        return false;
    }

    /** Ready once it answers PING; a server with a password answers NOAUTH, which shows it is up just as well. */
    private boolean awaitReady() {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline && process.isAlive()) {
            // A plain PING cannot reach a TLS port; Redis logs when it listens, and tls tells the port is TLS.
            String reply = tls ? (logText().contains("Ready to accept connections") ? "+PONG" : "") : ping();
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

    private Path log() {
        return directory.resolve("redis-" + port + ".log");
    }

    private String logText() {
        try {
            return Files.readString(log());
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** A loopback port nothing listens on right now; also used to point ncp at a Redis that is not there. */
    public static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            return fail("no free loopback port: " + e);
        }
    }

    /** A program on PATH (redis-server, redis-cli), or a failure telling how to install it. */
    static Path requireOnPath(String name) {
        return findOnPath(name).orElseGet(() -> fail(name + " is not on PATH, and the storage tests need it."
                + " Install Redis (Debian/Ubuntu: apt-get install redis-server redis-tools; macOS: brew install redis)."));
    }

    private static Optional<Path> findOnPath(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Optional.of(Path.of(dir, name));
            }
        }
        return Optional.empty();
    }
}
