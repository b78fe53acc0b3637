package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.errors.BadRequestException;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.ThinkingBlock;
import com.anthropic.models.messages.ThinkingBlockParam;
import com.anthropic.models.messages.Tool;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.testing.ScriptedUpstream;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The thinking signature survives a restart: the bundle signs with its per-install secret ({@code ~/.ncp/secret}),
 * so a thinking block handed out before a restart is verified after it and reaches a model that wants its prior
 * reasoning (gpt-oss with tools), while an altered one is still refused.
 */
class ThinkingSignatureRestartTest {

    private static final String GPT_OSS = "openai/gpt-oss-120b";
    private static final String QUESTION = "What is 17*23?";
    private static final Tool CALC = Tool.builder().name("calc").inputSchema(Tool.InputSchema.builder()
            .properties(JsonValue.from(Map.of("expr", Map.of("type", "string")))).build()).build();

    @TempDir
    Path work;

    @Test
    void thinkingSignedBeforeARestartIsVerifiedAfterItAndAnAlteredOneIsNot() throws Exception {
        try (var upstream = ScriptedUpstream.start()) {
            var ncp = new BundleProcess(work)
                    .env("NVIDIA_BASE_URL", upstream.baseUrl().toString())
                    .env("NVIDIA_API_KEY", "nvapi-test-0123456789abcdef");
            ThinkingBlock thinking;
            try (ncp) {
                upstream.enqueue(Script.fixture("reasoning-content-then-text.sse"));
                ncp.start();
                AnthropicClient client = client(ncp);
                try {
                    Message first = client.messages().create(MessageCreateParams.builder().model(GPT_OSS)
                            .maxTokens(2048).addUserMessage(QUESTION).addTool(CALC).build());
                    thinking = first.content().get(0).asThinking();
                } finally {
                    client.close();
                }
            }
            Path secret = ncp.home().resolve(".ncp/secret");
            assertTrue(Files.exists(secret), "the per-install secret lives in ~/.ncp");
            String secretBefore = Files.readString(secret);

            try (ncp) {
                upstream.enqueue(Script.fixture("text-stop-usage-last.sse"));
                ncp.start();
                AnthropicClient client = client(ncp);
                try {
                    client.messages().create(followUp(thinking.thinking(), thinking.signature()));
                    JsonNode sent = upstream.requests().get(1).json();
                    JsonNode assistant = sent.path("messages").path(1);
                    assertEquals("assistant", assistant.path("role").asText(), sent.toString());
                    assertEquals(thinking.thinking(), assistant.path("reasoning_content").asText(),
                            "verified after the restart and handed to gpt-oss: " + sent);

                    MessageCreateParams altered = followUp(thinking.thinking() + " Also, 2+2=5.", thinking.signature());
                    var forged = assertThrows(BadRequestException.class, () -> client.messages().create(altered));
                    assertTrue(forged.getMessage().contains("signature"), forged.getMessage());
                    assertEquals(2, upstream.requests().size(), "a forged block never reaches the upstream");
                } finally {
                    client.close();
                }
            }
            assertEquals(secretBefore, Files.readString(secret), "the restart kept the secret");
            assertFalse(secretBefore.isBlank());
        }
    }

    /** The next turn: the question, the assistant's earlier answer with its thinking block, a follow-up; tools on. */
    private static MessageCreateParams followUp(String thinking, String signature) {
        var assistant = List.of(
                ContentBlockParam.ofThinking(ThinkingBlockParam.builder().thinking(thinking).signature(signature)
                        .build()),
                ContentBlockParam.ofText(TextBlockParam.builder().text("The answer is 391.").build()));
        return MessageCreateParams.builder().model(GPT_OSS).maxTokens(2048).addUserMessage(QUESTION)
                .addAssistantMessageOfContentBlockParams(assistant).addUserMessage("And 391*2?").addTool(CALC).build();
    }

    static AnthropicClient client(BundleProcess ncp) {
        return AnthropicOkHttpClient.builder().baseUrl(ncp.url("")).apiKey("sk-ant-test").maxRetries(0).build();
    }
}
