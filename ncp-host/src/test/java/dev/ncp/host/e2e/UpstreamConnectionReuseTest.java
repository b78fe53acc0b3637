package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.MessageCreateParams;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import org.junit.jupiter.api.Test;

/**
 * The upstream client pools its connections (Jetty's {@code HttpClient}, keep-alive): answers one after another
 * travel over one TCP connection to the upstream, not one each — a new TLS handshake to NVIDIA per request would
 * add tens of milliseconds before the first token. The scripted upstream counts the connections it accepts.
 */
class UpstreamConnectionReuseTest {

    private static final MessageCreateParams HI = MessageCreateParams.builder().model("claude-opus-5-5")
            .maxTokens(1024).addUserMessage("Hi").build();

    @Test
    void sequentialAnswersStreamedOrNotShareOneUpstreamConnection() {
        try (var h = ProxyHarness.start()) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"))
                    .enqueue(Script.fixture("text-then-tool-call.sse"))
                    .enqueue(Script.fixture("text-stop-usage-last.sse"));
            int before = h.upstream().acceptedConnections();

            assertEquals("end_turn", h.client().messages().create(HI).stopReason().orElseThrow().asString());
            assertEquals(before + 1, h.upstream().acceptedConnections(), "the first answer opened a connection");
            try (var stream = h.client().messages().createStreaming(HI)) {
                var accumulator = MessageAccumulator.create();
                stream.stream().forEach(accumulator::accumulate);
                assertEquals("tool_use", accumulator.message().stopReason().orElseThrow().asString());
            }
            assertEquals("end_turn", h.client().messages().create(HI).stopReason().orElseThrow().asString());

            assertEquals(3, h.upstream().requests().size());
            assertEquals(before + 1, h.upstream().acceptedConnections(), "later answers reused it");
            assertEquals(1, h.upstream().openConnections(), "and it stays open, idle in the pool");
        }
    }
}
