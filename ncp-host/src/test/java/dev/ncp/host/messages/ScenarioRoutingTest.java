package dev.ncp.host.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Base64ImageSource;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.ImageBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.TextBlockParam;
import dev.ncp.host.testing.CapturedOutput;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.RecordedRequest;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scenario routing through the whole proxy: each scenario sends the request to its configured model, says so in
 * {@code x-ncp-route} and {@code x-ncp-model}, and the upstream receives that model.
 */
class ScenarioRoutingTest {

    private static final Map<String, String> ROUTES = Map.of(
            "NCP_ROUTE_BACKGROUND", "claude-llama-3-3",
            "NCP_ROUTE_THINK", "claude-deepseek-v4",
            "NCP_ROUTE_LONG_CONTEXT", "claude-llama4-scout",
            "NCP_LONG_CONTEXT_THRESHOLD", "2000",
            "NCP_ROUTE_IMAGE", "claude-llama4-maverick",
            "NCP_ROUTE_SUBAGENT", "claude-qwen3");
    private static final String PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    private static ProxyHarness h;

    @BeforeAll
    static void start() {
        h = ProxyHarness.start(ROUTES);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static MessageCreateParams.Builder ask(String model, String text) {
        return MessageCreateParams.builder().model(model).maxTokens(4096).addUserMessage(text);
    }

    /** Sends the request, checks the answer arrived, and returns the headers' route and model plus the upstream's. */
    private static List<String> routeOf(MessageCreateParams params) {
        h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
        int before = h.upstream().requests().size();
        HttpResponseFor<Message> response = h.client().messages().withRawResponse().create(params);
        assertFalse(response.parse().content().isEmpty());
        RecordedRequest sent = h.upstream().requests().get(before);
        return List.of(response.headers().values("x-ncp-route").get(0), response.headers().values("x-ncp-model").get(0),
                sent.json().path("model").asText());
    }

    private static RecordedRequest lastUpstreamRequest() {
        List<RecordedRequest> all = h.upstream().requests();
        return all.get(all.size() - 1);
    }

    @Test
    void aRequestNoScenarioMatchesGoesWhereItsNameResolves() {
        String nemotron = "nvidia/llama-3.3-nemotron-super-49b-v1.5";
        assertEquals(List.of("family:sonnet", nemotron, nemotron), routeOf(ask("claude-sonnet-4-5", "hi").build()));
    }

    @Test
    void thinkingTakesTheThinkRoute() {
        String v4 = "deepseek-ai/deepseek-v4-pro";
        assertEquals(List.of("scenario:think->alias", v4, v4),
                routeOf(ask("claude-sonnet-4-5", "hi").enabledThinking(2048).build()));
    }

    @Test
    void haikuTakesTheBackgroundRoute() {
        String llama = "meta/llama-3.3-70b-instruct";
        assertEquals(List.of("scenario:background->alias", llama, llama),
                routeOf(ask("claude-haiku-4-5-20251001", "title this").build()));
    }

    @Test
    void claudeCodeSubagentsTakeTheSubagentRoute() {
        String qwen3 = "qwen/qwen3-235b-a22b";
        assertEquals(List.of("scenario:subagent->alias", qwen3, qwen3), routeOf(ask("claude-sonnet-4-5", "explore")
                .enabledThinking(2048).putAdditionalHeader("x-claude-code-agent-id", "agent-7f3a").build()));
    }

    @Test
    void theCcrTagPicksTheSubagentsModelAndNeverReachesUpstream() {
        String scout = "meta/llama-4-scout-17b-16e-instruct";
        MessageCreateParams params = ask("claude-sonnet-4-5", "review this").systemOfTextBlockParams(List.of(
                TextBlockParam.builder().text("You are Claude Code.").build(),
                TextBlockParam.builder().text("<CCR-SUBAGENT-MODEL>claude-llama4-scout</CCR-SUBAGENT-MODEL>\n"
                        + "You are a careful reviewer.").build())).build();
        assertEquals(List.of("scenario:subagent->alias", scout, scout), routeOf(params));
        assertEquals("You are Claude Code.\n\nYou are a careful reviewer.",
                lastUpstreamRequest().json().path("messages").path(0).path("content").asText());
    }

    @Test
    void aLongPromptTakesTheLongContextRoute() {
        String scout = "meta/llama-4-scout-17b-16e-instruct";
        String longText = "The quick brown fox jumps over the lazy dog. ".repeat(400);
        assertEquals(List.of("scenario:longContext->alias", scout, scout),
                routeOf(ask("claude-sonnet-4-5", longText).enabledThinking(2048).build()));
    }

    @Test
    void anImageForAModelWithoutVisionTakesTheImageRoute() {
        String maverick = "meta/llama-4-maverick-17b-128e-instruct";
        var image = ContentBlockParam.ofImage(ImageBlockParam.builder().source(Base64ImageSource.builder()
                .mediaType(Base64ImageSource.MediaType.IMAGE_PNG).data(PNG_1X1).build()).build());
        var text = ContentBlockParam.ofText(TextBlockParam.builder().text("What is this?").build());
        MessageCreateParams params = MessageCreateParams.builder().model("claude-opus-4-7").maxTokens(1024)
                .addUserMessageOfContentBlockParams(List.of(image, text)).build();
        assertEquals(List.of("scenario:image->alias", maverick, maverick), routeOf(params));
        assertTrue(lastUpstreamRequest().bodyText().contains("data:image/png;base64," + PNG_1X1));
    }

    @Test
    void aStreamedAnswerCarriesTheRouteHeaderToo() {
        h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
        try (HttpResponseFor<StreamResponse<RawMessageStreamEvent>> response = h.client().messages().withRawResponse()
                .createStreaming(ask("claude-haiku-4-5", "quick").build())) {
            assertEquals("scenario:background->alias", response.headers().values("x-ncp-route").get(0));
            try (StreamResponse<RawMessageStreamEvent> events = response.parse()) {
                assertTrue(events.stream().count() > 3);
            }
        }
        assertEquals("meta/llama-3.3-70b-instruct", lastUpstreamRequest().json().path("model").asText());
    }

    @Test
    void theAccessLogLineNamesTheScenarioRoute() throws InterruptedException {
        try (var out = new CapturedOutput()) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            HttpResponseFor<Message> response = h.client().messages().withRawResponse()
                    .create(ask("claude-sonnet-4-5", "think hard").enabledThinking(2048).build());
            String requestId = response.headers().values("request-id").get(0);
            String line = accessLine(out, requestId);
            assertTrue(line.contains(" route=scenario:think->alias "), line);
            assertTrue(line.contains("model=claude-sonnet-4-5->deepseek-ai/deepseek-v4-pro "), line);
        }
    }

    /** The access log line of {@code requestId}; it is written as the answer ends, so it may trail the client. */
    private static String accessLine(CapturedOutput out, String requestId) throws InterruptedException {
        for (int attempt = 0; attempt < 500; attempt++) {
            var line = out.text().lines().filter(l -> l.contains(" access ") && l.contains(requestId)).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no access log line for " + requestId + " in:\n" + out.text());
    }

    @Test
    void aNimIdIsNeverRerouted() {
        String id = "qwen/qwen3-coder-480b-a35b-instruct";
        assertEquals(List.of("direct", id, id), routeOf(ask(id, "hi").enabledThinking(2048).build()));
    }
}
