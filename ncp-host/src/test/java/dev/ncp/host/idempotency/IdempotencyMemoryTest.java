package dev.ncp.host.idempotency;

import static dev.ncp.host.testing.HttpCalls.header;
import static dev.ncp.host.testing.HttpCalls.messagesBody;
import static dev.ncp.host.testing.HttpCalls.postMessages;
import static dev.ncp.host.testing.HttpCalls.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ncp.host.testing.Fixtures;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The idempotency scenarios on the built-in memory engine (sqlite and redis run them in ncp-dist). */
class IdempotencyMemoryTest extends IdempotencyScenarios {

    @Override
    protected ProxyHarness startProxy(Map<String, String> env) {
        return ProxyHarness.start(env);
    }

    @Test
    void passThroughAnswersAreRecordedAndReplayedToo() {
        try (var h = startProxy(Map.of("NCP_UPSTREAM_PROTOCOL", "anthropic"))) {
            h.upstream().enqueue(Script.stream(Fixtures.resource("/golden/text-then-tool-call.sse")));
            Map<String, String> key = Map.of(IdempotencyKey.HEADER, "pass-through-key");
            String body = messagesBody(true, "List the files");
            HttpResponse<byte[]> first = postMessages(h.baseUrl(), body, key);
            HttpResponse<byte[]> again = postMessages(h.baseUrl(), body, key);

            assertEquals(200, first.statusCode(), text(first));
            assertEquals("true", header(again, IdempotentMessages.REPLAY_HEADER));
            assertArrayEquals(first.body(), again.body());
            assertEquals(1, h.upstream().requests().size());
        }
    }
}
