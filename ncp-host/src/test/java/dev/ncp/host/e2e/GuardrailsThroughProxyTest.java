package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.errors.BadRequestException;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.testing.ProxyHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token guardrails on the whole request path, checked where they act — in the body the upstream receives, or
 * in the client's error when nothing may be sent: {@code NCP_DEFAULT_MAX_TOKENS} for an omitted
 * {@code max_tokens}, {@code NCP_HARD_MAX_TOKENS} and the context window clamping it, and an input over the
 * context window refused with Anthropic's wording before any upstream call. Small models from a models file make
 * the context window easy to reach; the input's size is what ncp's own {@code count_tokens} says.
 */
@Timeout(60)
class GuardrailsThroughProxyTest {

    private static final Pattern TOO_LONG = Pattern.compile("prompt is too long: (\\d+) tokens > (\\d+) maximum");
    private static final String SMALL = "acme/small-8k";

    @TempDir
    Path dir;

    @Test
    void anInputOverTheContextWindowIsPromptTooLongWithoutAnyUpstreamCall() throws IOException {
        try (var h = proxy(Map.of(), models(SMALL, 8192))) {
            String prompt = words(3000);
            long input = countTokens(h, SMALL, prompt);
            assertTrue(input > 8192, "the prompt must overflow: " + input);

            var e = assertThrows(BadRequestException.class, () -> h.client().messages().create(ask(SMALL, prompt)));
            assertEquals("invalid_request_error", SdkAnswer.inputOf(e.body()).path("error").path("type").asText());
            Matcher m = TOO_LONG.matcher(e.apiMessage().orElseThrow());
            assertTrue(m.matches(), e.apiMessage().orElseThrow());
            assertEquals(input, Long.parseLong(m.group(1)), "N is the estimated input");
            assertEquals(8192, Integer.parseInt(m.group(2)), "M is the context window");
            assertTrue(e.requestId().orElse("").startsWith("req_"));

            // A stream is refused the same way, before its message_start.
            var streamed = assertThrows(BadRequestException.class,
                    () -> h.client().messages().createStreaming(ask(SMALL, prompt)).stream().count());
            assertEquals(e.apiMessage(), streamed.apiMessage());
            assertEquals(0, h.upstream().requests().size(), "nothing may reach the upstream");
        }
    }

    @Test
    void anInputThatFitsButLeavesLittleRoomIsSentWithMaxTokensClampedNotRefused() throws IOException {
        String prompt = words(1000);
        long input;
        try (var counter = proxy(Map.of(), models(SMALL, 8192))) {
            input = countTokens(counter, SMALL, prompt);
        }
        // One model whose window the input nearly fills, one that leaves 1,000 tokens for the answer (after the
        // 256 kept for the chat template).
        String snug = "acme/snug";
        String roomy = "acme/roomy";
        try (var h = proxy(Map.of(), models(snug, (int) input + 100) + models(roomy, (int) input + 1256)
                .replace("models:\n", ""))) {
            h.upstream().fallback(ResilienceTest.OK);
            assertEquals(ResilienceTest.ANSWER, ResilienceTest.text(h.client().messages().create(ask(snug, prompt))));
            h.client().messages().create(ask(roomy, prompt));

            assertEquals(1, sentMaxTokens(h, 0), "a nearly full window still gets an answer, of at least 1 token");
            assertEquals(1000, sentMaxTokens(h, 1), "context window − template room − input");
        }
    }

    @Test
    void anOmittedMaxTokensGetsNcpDefaultMaxTokensElseTheModelsMaxOutput() throws IOException {
        String noMaxTokens = """
                {"model":"%s","messages":[{"role":"user","content":"Hi"}]}""".formatted(SMALL);
        try (var h = proxy(Map.of("NCP_DEFAULT_MAX_TOKENS", "777"), models(SMALL, 8192))) {
            h.upstream().fallback(ResilienceTest.OK);
            Wire.Reply r = Wire.post(h, "/v1/messages", noMaxTokens);
            assertEquals(200, r.status(), new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(777, sentMaxTokens(h, 0));
        }
        try (var h = proxy(Map.of(), models(SMALL, 8192))) {
            h.upstream().fallback(ResilienceTest.OK);
            assertEquals(200, Wire.post(h, "/v1/messages", noMaxTokens).status());
            assertEquals(4096, sentMaxTokens(h, 0), "the model's max output");
        }
    }

    @Test
    void theHardMaxTokensAndTheModelsMaxOutputClampWhatReachesTheUpstream() throws IOException {
        try (var h = proxy(Map.of("NCP_HARD_MAX_TOKENS", "1000"), models(SMALL, 8192))) {
            h.upstream().fallback(ResilienceTest.OK);
            h.client().messages().create(ask(SMALL, "Hi", 3000));
            h.client().messages().create(ask(SMALL, "Hi", 500));
            assertEquals(1000, sentMaxTokens(h, 0), "NCP_HARD_MAX_TOKENS");
            assertEquals(500, sentMaxTokens(h, 1), "a smaller value passes as it is");
        }
        try (var h = proxy(Map.of(), models(SMALL, 8192))) {
            h.upstream().fallback(ResilienceTest.OK);
            h.client().messages().create(ask(SMALL, "Hi", 64_000)); // what Claude Code asks for
            assertEquals(4096, sentMaxTokens(h, 0), "the model's max output");
        }
    }

    private ProxyHarness proxy(Map<String, String> env, String modelsYaml) throws IOException {
        Path file = Files.createTempFile(dir, "models", ".yaml");
        Files.writeString(file, modelsYaml);
        var all = new HashMap<>(env);
        all.put("NCP_MODELS_FILE", file.toString());
        all.put("NCP_MAX_RETRIES", "0");
        return ProxyHarness.start(all);
    }

    /** A models file with one model of this context window and 4,096 tokens of output. */
    private static String models(String id, int contextWindow) {
        return """
                models:
                  - id: %s
                    context_window: %d
                    max_output_tokens: 4096
                """.formatted(id, contextWindow);
    }

    private static String words(int times) {
        return "the quick brown fox jumps over the lazy dog ".repeat(times);
    }

    private static long countTokens(ProxyHarness h, String model, String prompt) {
        return h.client().messages().countTokens(MessageCountTokensParams.builder().model(model)
                .addUserMessage(prompt).build()).inputTokens();
    }

    private static MessageCreateParams ask(String model, String prompt) {
        return ask(model, prompt, 4096);
    }

    private static MessageCreateParams ask(String model, String prompt, long maxTokens) {
        return MessageCreateParams.builder().model(model).maxTokens(maxTokens).addUserMessage(prompt).build();
    }

    private static int sentMaxTokens(ProxyHarness h, int request) {
        JsonNode body = h.upstream().requests().get(request).json();
        return body.path("max_tokens").asInt(-1);
    }
}
