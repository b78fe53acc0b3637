package dev.ncp.host.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.StopReason;
import dev.ncp.host.testing.Fixtures;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.RecordedRequest;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** NCP_UPSTREAM_PROTOCOL=anthropic: a Messages API upstream gets the request untranslated, answers stream back. */
class AnthropicPassThroughTest {

    private static final Map<String, String> PASS_THROUGH = Map.of("NCP_UPSTREAM_PROTOCOL", "anthropic");

    private static MessageCreateParams hello() {
        return MessageCreateParams.builder().model("nvidia/nemotron-anthropic").maxTokens(300)
                .addUserMessage("Is it there?").build();
    }

    @Test
    void aStreamedAnswerArrivesUntouchedAndTheRequestIsForwardedAsSent() {
        try (var h = ProxyHarness.start(PASS_THROUGH)) {
            h.upstream().enqueue(Script.stream(Fixtures.resource("/golden/text-then-tool-call.sse")));
            var acc = MessageAccumulator.create();
            try (var stream = h.client().messages().createStreaming(hello())) {
                stream.stream().forEach(acc::accumulate);
            }
            Message m = acc.message();
            assertEquals("msg_01TestAnswer0000000000", m.id());
            assertEquals(StopReason.TOOL_USE, m.stopReason().orElseThrow());
            assertEquals("Let me check.", m.content().get(0).asText().text());
            assertEquals("Bash", m.content().get(1).asToolUse().name());

            RecordedRequest sent = h.upstream().requests().get(0);
            assertEquals("/v1/messages", sent.path());
            assertEquals("Bearer " + ProxyHarness.UPSTREAM_KEY, sent.header("authorization"));
            assertEquals("nvidia/nemotron-anthropic", sent.json().path("model").asText());
            assertEquals("Is it there?", sent.json().path("messages").path(0).path("content").asText());
            assertTrue(sent.json().path("stream").asBoolean());
            assertTrue(sent.header("anthropic-version") != null, "anthropic-version must be forwarded");
        }
    }

    @Test
    void upstreamErrorsReachTheClientAnthropicShaped() {
        try (var h = ProxyHarness.start(PASS_THROUGH)) {
            h.upstream().enqueue(Script.status(401, Map.of(),
                    "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"bad key\"}}"));
            var e = assertThrows(UnauthorizedException.class, () -> h.client().messages().create(hello()));
            assertEquals(401, e.statusCode());
            assertTrue(e.getMessage().contains("NVIDIA_API_KEY"), e.getMessage());
        }
    }
}
