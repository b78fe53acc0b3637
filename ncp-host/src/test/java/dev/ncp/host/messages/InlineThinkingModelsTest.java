package dev.ncp.host.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.UpstreamSse;
import org.junit.jupiter.api.Test;

/** Host-registry models that write their reasoning inline get it back as a thinking block, tag split anywhere. */
class InlineThinkingModelsTest {

    @Test
    void miniMaxsInlineThinkIsAThinkingBlock() {
        String minimax = "minimaxai/minimax-m2.7";
        String content = "<think>\nThe user wants a greeting.\n</think>\n\nHello!";
        try (var h = ProxyHarness.start()) {
            for (int size = 1; size <= 9; size++) {
                h.upstream().enqueue(Script.stream(UpstreamSse.content(minimax, UpstreamSse.pieces(content, size),
                        "stop")));
                Message m = h.client().messages().create(MessageCreateParams.builder().model(minimax).maxTokens(1024)
                        .addUserMessage("Say hello").build());
                assertEquals(2, m.content().size(), size + "-char deltas: " + m);
                assertEquals("The user wants a greeting.\n", m.content().get(0).asThinking().thinking());
                assertEquals("Hello!", m.content().get(1).asText().text());
            }
        }
    }
}
