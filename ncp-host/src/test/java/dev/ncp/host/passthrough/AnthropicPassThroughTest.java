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
import dev.ncp.host.testing.HttpCalls;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.RecordedRequest;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** NCP_UPSTREAM_PROTOCOL=anthropic: a Messages API upstream gets the request untranslated, answers stream back. */
class AnthropicPassThroughTest {

    private static final Map<String, String> PASS_THROUGH = Map.of("NCP_UPSTREAM_PROTOCOL", "anthropic");

    /** A whole (stream: false) Messages API answer, as an Anthropic upstream sends it. */
    private static final String WHOLE_ANSWER = """
            {"id":"msg_01Whole","type":"message","role":"assistant","model":"nvidia/nemotron-anthropic",
             "content":[{"type":"text","text":"Here."}],"stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":12,"output_tokens":3}}""";

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

    @Test
    void withKeyPassthroughTheClientsOwnKeyGoesUpstreamInsteadOfTheOperators() throws Exception {
        String own = "nvapi-users-own-key-abcdefghij0123";
        try (var h = ProxyHarness.start(Map.of("NCP_UPSTREAM_PROTOCOL", "anthropic", "NCP_KEY_PASSTHROUGH", "true",
                "PROXY_API_KEY", "sk-ncp-operator-key-0123456789"))) {
            h.upstream().enqueue(Script.status(200, Map.of("content-type", "application/json"), WHOLE_ANSWER));
            var r = HttpCalls.postMessages(h.baseUrl(), HttpCalls.messagesBody(false, "hi"), Map.of("x-api-key", own));
            assertEquals(200, r.statusCode(), HttpCalls.text(r));
            RecordedRequest sent = h.upstream().requests().getLast();
            assertEquals("Bearer " + own, sent.header("authorization"));
            assertEquals(own, sent.header("x-api-key"));
        }
    }
}
