package dev.ncp.dist;

import static dev.ncp.host.testing.HttpCalls.header;
import static dev.ncp.host.testing.HttpCalls.messagesBody;
import static dev.ncp.host.testing.HttpCalls.postMessages;
import static dev.ncp.host.testing.HttpCalls.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.host.idempotency.IdempotencyKey;
import dev.ncp.host.idempotency.IdempotentMessages;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.RedisServerProcess;
import dev.ncp.host.testing.ScriptedUpstream;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An answer stored by an ncp process survives that process being killed (SIGKILL) and started again. */
class RestartReplayBundleTest {

    @TempDir
    Path work;

    @Test
    void anAnswerStoredInSqliteReplaysAfterNcpIsKilledAndRestarted() throws Exception {
        try (var upstream = ScriptedUpstream.start()) {
            var ncp = new BundleProcess(work).env("STORAGE_ENGINE", "sqlite");
            killAndReplay(ncp, upstream);
        }
    }

    @Test
    void anAnswerStoredInRedisReplaysAfterNcpIsKilledAndRestarted() throws Exception {
        try (var upstream = ScriptedUpstream.start();
             var redis = RedisServerProcess.start(Files.createDirectories(work.resolve("redis")))) {
            var ncp = new BundleProcess(Files.createDirectories(work.resolve("ncp")))
                    .env("STORAGE_ENGINE", "redis").env("REDIS_URL", redis.url());
            killAndReplay(ncp, upstream);
        }
    }

    private static void killAndReplay(BundleProcess ncp, ScriptedUpstream upstream) throws Exception {
        ncp.env("NVIDIA_BASE_URL", upstream.baseUrl().toString()).env("NVIDIA_API_KEY", ProxyHarness.UPSTREAM_KEY);
        upstream.enqueue(Script.fixture("text-then-tool-call.sse"));
        upstream.enqueue(Script.fixture("text-then-tool-call.sse"));
        Map<String, String> key = Map.of(IdempotencyKey.HEADER, "survives-a-kill");
        String body = messagesBody(true, "List the files");
        try (ncp) {
            ncp.start();
            HttpResponse<byte[]> first = postMessages(ncp.url(""), body, key);
            assertEquals(200, first.statusCode(), text(first));
            assertTrue(text(first).contains("event: message_stop"), text(first));

            ncp.kill();
            ncp.start();
            HttpResponse<byte[]> replay = postMessages(ncp.url(""), body, key);
            assertEquals("true", header(replay, IdempotentMessages.REPLAY_HEADER), text(replay));
            assertArrayEquals(first.body(), replay.body());
            assertEquals(1, upstream.requests().size());
        }
    }
}
