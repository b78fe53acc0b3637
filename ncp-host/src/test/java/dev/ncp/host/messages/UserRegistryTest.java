package dev.ncp.host.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceAny;
import com.anthropic.models.messages.ToolChoiceTool;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A user models file changes what the running proxy does: aliases, family targets, capabilities. */
class UserRegistryTest {

    private static final String MODELS_YAML = """
            models:
              - id: meta/llama-3.3-70b-instruct
                aliases: [team-default]
                forced_tool_choice: false
              - id: acme/brand-new-70b
                aliases: [acme]
                context_window: 32768
            claude:
              haiku: team-default
            """;

    private static ProxyHarness h;

    @BeforeAll
    static void start() throws IOException {
        Path file = Files.writeString(Files.createTempDirectory("ncp-models").resolve("models.yaml"), MODELS_YAML);
        h = ProxyHarness.start(Map.of("NCP_MODELS_FILE", file.toString()));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static final Tool WEATHER = Tool.builder().name("get_weather").description("Weather in a city")
            .inputSchema(Tool.InputSchema.builder().build()).build();

    private static JsonNode send(MessageCreateParams params, String route, String model) {
        h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
        HttpResponseFor<Message> response = h.client().messages().withRawResponse().create(params);
        response.parse();
        assertEquals(List.of(route), response.headers().values("x-ncp-route"));
        assertEquals(List.of(model), response.headers().values("x-ncp-model"));
        List<?> all = h.upstream().requests();
        return h.upstream().requests().get(all.size() - 1).json();
    }

    @Test
    void aForcedToolChoiceBecomesAutoPlusAHintForAModelTheUserMarked() {
        JsonNode sent = send(MessageCreateParams.builder().model("claude-haiku-4-5-20251001").maxTokens(512)
                .system("Answer briefly.").addTool(WEATHER)
                .toolChoice(ToolChoiceTool.builder().name("get_weather").build())
                .addUserMessage("Weather in Oslo?").build(), "family:haiku", "meta/llama-3.3-70b-instruct");
        assertEquals("auto", sent.path("tool_choice").asText());
        assertEquals("Answer briefly.\n\nYou must call the tool get_weather in your next response.",
                sent.path("messages").path(0).path("content").asText());
    }

    @Test
    void anyToolChoiceIsDegradedTooWhileOtherModelsKeepTheirForcedChoice() {
        JsonNode degraded = send(MessageCreateParams.builder().model("team-default").maxTokens(512).addTool(WEATHER)
                .toolChoice(ToolChoiceAny.builder().build()).addUserMessage("Weather?").build(), "alias",
                "meta/llama-3.3-70b-instruct");
        assertEquals("auto", degraded.path("tool_choice").asText());
        JsonNode forced = send(MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(512).addTool(WEATHER)
                .toolChoice(ToolChoiceAny.builder().build()).addUserMessage("Weather?").build(), "family:sonnet",
                "nvidia/llama-3.3-nemotron-super-49b-v1.5");
        assertEquals("required", forced.path("tool_choice").asText());
    }

    @Test
    void aModelOnlyTheUserFileKnowsIsServedWithItsLimits() {
        JsonNode sent = send(MessageCreateParams.builder().model("acme").maxTokens(64_000).addUserMessage("Hi")
                .build(), "alias", "acme/brand-new-70b");
        assertEquals("acme/brand-new-70b", sent.path("model").asText());
        assertEquals(16_384, sent.path("max_tokens").asInt()); // conservative default max output, within 32k context
    }
}
