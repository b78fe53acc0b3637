package dev.ncp.host.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real three-primary Redis Cluster for tests: three {@code redis-server --cluster-enabled yes} on free loopback
 * ports (each with its own bus port, so no port + 10000 arithmetic can overflow), joined by
 * {@code redis-cli --cluster create}, ready once every node reports {@code cluster_state:ok}. No replicas: the
 * tests need slots spread over several nodes, not failover.
 */
public final class RedisClusterProcess implements AutoCloseable {

    private static final int NODES = 3;
    private static final long READY_TIMEOUT_MILLIS = 20_000;

    private final List<RedisServerProcess> nodes;

    private RedisClusterProcess(List<RedisServerProcess> nodes) {
        this.nodes = nodes;
    }

    /** Starts and joins the nodes, each with its files in a subdirectory of {@code directory}. */
    public static RedisClusterProcess start(Path directory) {
        Path cli = RedisServerProcess.requireOnPath("redis-cli");
        List<RedisServerProcess> nodes = new ArrayList<>();
        var cluster = new RedisClusterProcess(nodes);
        try {
            for (int i = 0; i < NODES; i++) {
                Path nodeDirectory = Files.createDirectories(directory.resolve("node-" + i));
                nodes.add(RedisServerProcess.start(nodeDirectory, "--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf",
                        "--cluster-port", Integer.toString(RedisServerProcess.freeLoopbackPort())));
            }
            List<String> create = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
            nodes.forEach(node -> create.add("127.0.0.1:" + node.port()));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            run(create);
            for (RedisServerProcess node : nodes) {
                cluster.awaitOk(cli, node.port());
            }
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            cluster.close();
            return fail("the Redis Cluster did not form: " + e, e);
        }
    }

    /** The seed nodes for {@code REDIS_URL} with {@code REDIS_MODE=cluster}: every node, comma-separated. */
    public String url() {
        return "redis://" + nodes.stream().map(node -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","));
    }

    public List<Integer> ports() {
        return nodes.stream().map(RedisServerProcess::port).toList();
    }

    private void awaitOk(Path cli, int port) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MILLIS;
        String info = "";
        while (System.currentTimeMillis() < deadline) {
            info = run(List.of(cli.toString(), "-p", Integer.toString(port), "cluster", "info"));
            if (info.contains("cluster_state:ok")) {
                return;
            }
            Thread.sleep(50);
        }
        fail("node 127.0.0.1:" + port + " never reported cluster_state:ok:\n" + info);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }

    @Override
    public void close() {
        nodes.forEach(RedisServerProcess::close);
    }
}
