package dev.ncp.bench.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for the soak, on a free loopback port, without persistence, which can be stopped and
 * started again on the same port (the soak's mid-run restart: ncp must reconnect, and what it had stored is gone).
 */
final class RedisServer implements AutoCloseable {

    private final int port;
    private final Path directory;
    private Process process;

    private RedisServer(int port, Path directory) {
        this.port = port;
        this.directory = directory;
    }

    static RedisServer start() throws IOException, InterruptedException {
        RedisServer redis = new RedisServer(NcpProcess.freePort(), Files.createTempDirectory("ncp-soak-redis-"));
        redis.launch();
        return redis;
    }

    String url() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    /** SIGTERM, then the same server again on the same port, empty. */
    void restart() throws IOException, InterruptedException {
        stop();
        launch();
    }

    private void launch() throws IOException, InterruptedException {
        process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", directory.toString(), "--save", "", "--appendonly", "no"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("redis.log").toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(20);
            }
        }
        throw new IOException("redis-server did not start on port " + port + ":\n"
                + Files.readString(directory.resolve("redis.log")));
    }

    private void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
