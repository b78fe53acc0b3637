package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.testing.Fixtures;
import dev.ncp.host.testing.ScriptedUpstream.RecordedRequest;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.ScriptedUpstream;
import dev.ncp.host.testing.UpstreamRequestCheck;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Claude Code CLI doing agent work through the real bundle, with only NVIDIA simulated: Claude Code →
 * (recording relay) → {@code bin/ncp proxy} → {@link ScriptedUpstream}. Every Messages request Claude Code sent is
 * held against the upstream request ncp made of it ({@link UpstreamRequestCheck}). {@code ncp code}, which launches
 * Claude Code itself: {@link NcpCodeCommandTest}.
 */
class ClaudeCodeEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UPSTREAM_KEY = "nvapi-e2e-0123456789abcdef";
    /** A model whose adapter hands verified prior reasoning back upstream in tool loops. */
    private static final String THINKING_MODEL = "openai/gpt-oss-120b";
    /** The extra upstream answer for whatever else Claude Code asks: a plain text answer. */
    private static final String FALLBACK = "text-stop-usage-last.sse";

    @TempDir
    Path work;

    private Path project;
    private Path claudeHome;
    private ScriptedUpstream upstream;
    private BundleProcess ncp;
    private RecordingRelay relay;

    @BeforeEach
    void start() throws Exception {
        Path claude = ClaudeCodeCli.executable();
        assertTrue(Files.isExecutable(claude), claude.toString());
        project = Files.createDirectories(work.resolve("project"));
        claudeHome = Files.createDirectories(work.resolve("claude-home"));
        upstream = ScriptedUpstream.start().fallback(Script.fixture(FALLBACK));
    }

    @AfterEach
    void stop() throws Exception {
        if (relay != null) {
            relay.close();
        }
        if (ncp != null) {
            ncp.close();
        }
        upstream.close();
    }

    @Test
    void aPlainAnswerComesBackIntact() throws Exception {
        startProxy();
        upstream.enqueue(Script.fixture("text-stop-usage-last.sse"));

        var run = claude("-p", "Say hello in a few languages.", "--output-format", "json");

        assertEquals(0, run.exit(), run.toString());
        JsonNode result = run.result();
        assertEquals("success", result.path("subtype").asText(), run.toString());
        assertFalse(result.path("is_error").asBoolean(), run.toString());
        assertEquals(fixtureText("text-stop-usage-last.sse"), result.path("result").asText());
        assertEquals("end_turn", result.path("stop_reason").asText());
        assertTrue(firstUpstreamRequest().bodyText().contains("Say hello in a few languages."));
        assertEveryMessagesRequestReachedTheUpstreamIntact();
    }

    @Test
    void theVisualizationSideChannelIsIgnoredByClaudeCode() throws Exception {
        startProxy(Map.of("R2_STREAM_VISUALIZATION", "true"));
        upstream.enqueue(Script.fixture("text-stop-usage-last.sse"));

        var run = claude("-p", "Say hello in a few languages.", "--output-format", "json");

        assertEquals(0, run.exit(), run.toString());
        assertEquals(fixtureText("text-stop-usage-last.sse"), run.result().path("result").asText(), run.toString());
        assertTrue(relay.messagesAnswers().stream().anyMatch(a -> a.contains("event: ncp_visualization")),
                "the side channel was not in Claude Code's stream, so this test proved nothing");
        assertEveryMessagesRequestReachedTheUpstreamIntact();
    }

    @Test
    void writeThenBashThenAnswerRunsTheToolsForReal() throws Exception {
        startProxy();
        upstream.enqueue(projectScript("write-hello.sse"))
                .enqueue(projectScript("bash-cat-hello.sse"))
                .enqueue(projectScript("answer-after-tools.sse"));

        var run = claude("-p", "Create hello.txt saying hello, then show it.", "--output-format", "json",
                "--allowedTools", "Write", "Bash");

        assertEquals(0, run.exit(), run.toString());
        assertEquals("Hello from ncp!\n", Files.readString(project.resolve("hello.txt")));
        JsonNode result = run.result();
        assertEquals("hello.txt contains: Hello from ncp!", result.path("result").asText(), run.toString());
        assertEquals(3, result.path("num_turns").asInt(), run.toString());

        RecordedRequest afterWrite = upstreamRequestWithToolResult("chatcmpl-tool-w1");
        assertTrue(toolMessage(afterWrite, "chatcmpl-tool-w1").contains("hello.txt"), afterWrite.bodyText());
        RecordedRequest afterBash = upstreamRequestWithToolResult("chatcmpl-tool-b2");
        assertEquals("Hello from ncp!", toolMessage(afterBash, "chatcmpl-tool-b2").strip(),
                "the output of cat reached the model");
        assertEveryMessagesRequestReachedTheUpstreamIntact();
    }

    /**
     * An open model without a tool parser: its Write call comes as Hermes text naming {@code write}, its Bash call as
     * {@code bash} with a trailing comma in the arguments. The guard makes both real tool calls, Claude Code runs them.
     */
    @Test
    void anOpenModelsBrokenToolCallsStillRunTheToolsForReal() throws Exception {
        startProxy();
        upstream.enqueue(projectScript("write-hello-as-hermes-text.sse"))
                .enqueue(projectScript("bash-cat-hello-misnamed-trailing-comma.sse"))
                .enqueue(projectScript("answer-after-tools.sse"));

        var run = claude("-p", "Create hello.txt saying hello, then show it.", "--output-format", "json",
                "--allowedTools", "Write", "Bash");

        assertEquals(0, run.exit(), run.toString());
        assertEquals("Hello from ncp!\n", Files.readString(project.resolve("hello.txt")));
        assertEquals("hello.txt contains: Hello from ncp!", run.result().path("result").asText(), run.toString());
        RecordedRequest afterBash = upstreamRequestWithToolResult("chatcmpl-tool-b2");
        assertEquals("Hello from ncp!", toolMessage(afterBash, "chatcmpl-tool-b2").strip(),
                "the output of cat reached the model");
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ncp.url("/metrics")))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String kind : List.of("text_call", "name_fixed", "args_repaired")) {
            assertTrue(metrics.contains("ncp_guard_interventions_total{kind=\"" + kind + "\"} 1.0"),
                    kind + " not counted once:\n" + metrics.lines()
                            .filter(l -> l.startsWith("ncp_guard")).toList());
        }
        assertEveryMessagesRequestReachedTheUpstreamIntact();
    }

    /**
     * Claude Code's Read tool returns a PDF as a document block inside the tool result; the default models cannot
     * read PDF files, so ncp sends the PDF's text in its place, page by page, and the model gets to read it.
     */
    @Test
    void readingAPdfWithTheReadToolGivesTheModelItsText() throws Exception {
        Files.write(project.resolve("report.pdf"), dev.ncp.host.testing.TestPdf.bytes(
                "Quarterly revenue rose 12 percent", "Costs fell in the third quarter"));
        startProxy();
        upstream.enqueue(projectScript("read-report-pdf.sse"));
        upstream.fallback(request -> request.bodyText().contains("chatcmpl-tool-r7")
                ? Script.fixture("text-stop-usage-last.sse") : Script.fixture(FALLBACK));

        var run = claude("-p", "Summarise report.pdf.", "--output-format", "json", "--allowedTools", "Read");

        assertEquals(0, run.exit(), run.toString());
        String toolResult = toolMessage(upstreamRequestWithToolResult("chatcmpl-tool-r7"), "chatcmpl-tool-r7");
        assertTrue(relay.messagesRequests().stream().anyMatch(r -> r.toString().contains("application/pdf")),
                "Claude Code sent the PDF itself (a document block), so ncp did the reading");
        assertTrue(java.util.regex.Pattern.compile("\\[PDF [^\\]]+, page 1]\nQuarterly revenue rose 12 percent\n\n"
                + "\\[PDF [^\\]]+, page 2]\nCosts fell in the third quarter").matcher(toolResult).find(), toolResult);
        assertFalse(toolResult.contains("PDF omitted"), toolResult);
    }

    /**
     * gpt-oss wants the reasoning of its earlier tool-calling turns back: the thinking block ncp signed goes to Claude
     * Code, comes back unchanged in the follow-up, ncp verifies its signature and hands the text upstream again.
     */
    @Test
    void withThinkingOnTheThinkingBlockGoesBackToTheModelWithTheToolResult() throws Exception {
        startProxy();
        upstream.enqueue(projectScript("reasoning-then-bash.sse"))
                .enqueue(projectScript("answer-after-thinking.sse"));

        var run = claude(Map.of("MAX_THINKING_TOKENS", "2000"), "-p", "Think, then echo a marker with Bash.",
                "--output-format", "stream-json", "--verbose", "--allowedTools", "Bash",
                "--model", THINKING_MODEL);

        assertEquals(0, run.exit(), run.toString());
        List<JsonNode> events = run.events();
        JsonNode result = events.get(events.size() - 1);
        assertEquals("result", result.path("type").asText(), run.toString());
        assertEquals("Bash printed: thinking-survived", result.path("result").asText(), run.toString());
        List<JsonNode> sent = relay.messagesRequests();
        JsonNode first = sent.get(0);
        // Claude Code 2.1.33x asks for display "updates": the block then comes as Anthropic sends it, without its
        // text and with the text sealed in the signature (the next test follows that seal back to the model).
        boolean hidden = List.of("omitted", "updates").contains(first.path("thinking").path("display").asText());
        assertTrue(assistantBlocks(events, "thinking").stream().anyMatch(b -> hidden
                        ? b.path("thinking").asText().isEmpty() && b.path("signature").asText().startsWith("ncp1.")
                        : b.path("thinking").asText().contains("I will run it with Bash.")),
                "Claude Code received the thinking block: " + run.stdout());

        assertNotEquals("disabled", first.path("thinking").path("type").asText("disabled"),
                "thinking is on in Claude Code's request: " + first.path("thinking"));
        JsonNode followUp = sent.stream().filter(r -> r.toString().contains("thinking-survived")
                && r.toString().contains("tool_result")).findFirst().orElseThrow();
        JsonNode assistant = lastAssistantMessage(followUp);
        assertEquals("thinking", assistant.path("content").path(0).path("type").asText(),
                "Claude Code sent the thinking block back first in the assistant turn: " + assistant);
        assertEquals("tool_use", assistant.path("content").path(1).path("type").asText(), assistant.toString());
        JsonNode thinking = assistant.path("content").path(0);
        assertEquals(signatureNcpSent(), thinking.path("signature").asText(),
                "Claude Code sent back the signature ncp gave it");

        List<RecordedRequest> requests = upstream.requests();
        assertTrue(requests.size() >= 2, "the follow-up request reached the upstream");
        assertEquals(THINKING_MODEL, requests.get(0).json().path("model").asText());
        RecordedRequest upstreamFollowUp = upstreamRequestWithToolResult("chatcmpl-tool-t4");
        assertTrue(upstreamFollowUp.bodyText().contains("thinking-survived"));
        // Hidden thinking comes back empty, its text sealed in the signature: the model gets the text either way.
        String reasoning = hidden ? "The user wants an echo; I will run it with Bash."
                : thinking.path("thinking").asText();
        assertEquals(reasoning, reasoningBeforeToolCall(upstreamFollowUp, "chatcmpl-tool-t4"),
                "ncp verified the signature and gave the model its reasoning back");
        assertEveryMessagesRequestReachedTheUpstreamIntact();
    }

    @Test
    void withDisplayOmittedClaudeCodeGetsAnEmptyThinkingBlockAndItsSealBringsTheReasoningBack() throws Exception {
        // Claude model names make Claude Code ask for thinking hidden (display "omitted" or "updates"); gpt-oss's
        // adapter wants its prior reasoning back when tools are offered, so the follow-up shows whether the sealed
        // text survived.
        startProxy(Map.of("NCP_DEFAULT_MODEL", "openai/gpt-oss-120b"));
        upstream.enqueue(projectScript("reasoning-then-bash.sse"))
                .enqueue(projectScript("answer-after-thinking.sse"));

        var run = claude(Map.of("MAX_THINKING_TOKENS", "2000"), "-p", "Think, then echo a marker with Bash.",
                "--output-format", "stream-json", "--verbose", "--allowedTools", "Bash", "--model", "claude-opus-5-5");

        assertEquals(0, run.exit(), run.toString());
        List<JsonNode> events = run.events();
        assertEquals("Bash printed: thinking-survived", events.get(events.size() - 1).path("result").asText(),
                run.toString());
        List<JsonNode> sent = relay.messagesRequests();
        // Claude Code 2.1.33x asks for "updates" for Claude 5.5 names ("omitted" for older ones): reasoning hidden.
        assertTrue(List.of("omitted", "updates").contains(sent.get(0).path("thinking").path("display").asText()),
                "Claude Code asked for hidden thinking: " + sent.get(0).path("thinking"));
        List<JsonNode> thinking = assistantBlocks(events, "thinking");
        assertFalse(thinking.isEmpty(), "Claude Code received a thinking block: " + run.stdout());
        for (JsonNode block : thinking) {
            assertEquals("", block.path("thinking").asText(), "no thinking text, as Anthropic sends it: " + block);
            assertTrue(block.path("signature").asText().startsWith("ncp1."), block.toString());
        }
        JsonNode followUp = sent.stream().filter(r -> r.toString().contains("thinking-survived")
                && r.toString().contains("tool_result")).findFirst().orElseThrow();
        JsonNode sentBack = lastAssistantMessage(followUp).path("content").path(0);
        assertEquals("thinking", sentBack.path("type").asText(), "Claude Code sent the empty block back: " + sentBack);
        assertTrue(sentBack.path("signature").asText().startsWith("ncp1."), sentBack.toString());

        JsonNode upstreamFollowUp = upstreamRequestWithToolResult("chatcmpl-tool-t4").json();
        assertEquals("openai/gpt-oss-120b", upstreamFollowUp.path("model").asText());
        assertTrue(upstreamFollowUp.toString().contains("The user wants an echo; I will run it with Bash."),
                "the sealed reasoning reached the model again: " + upstreamFollowUp);
        assertEveryMessagesRequestReachedTheUpstreamIntact();
    }

    @Test
    void anUpstreamThatDiesMidAnswerEndsTheRunWithAClearErrorAndNoHang() throws Exception {
        startProxy();
        upstream.fallback(Script.fixture("truncated-no-done.sse"));

        var run = claude("-p", "Say hello.", "--output-format", "json");

        assertNotEquals(0, run.exit(), run.toString());
        JsonNode result = run.result();
        assertTrue(result.path("is_error").asBoolean(), run.toString());
        assertTrue(result.path("result").asText().contains("API Error"), run.toString());
        assertTrue(run.took().compareTo(Duration.ofSeconds(60)) < 0, "took " + run.took());
        assertFalse(upstream.requests().isEmpty());
        assertEveryMessagesRequestReachedTheUpstreamIntact();
    }

    // --- the pieces -------------------------------------------------------------------------------------------

    private void startProxy() throws Exception {
        startProxy(Map.of());
    }

    private void startProxy(Map<String, String> env) throws Exception {
        ncp = new BundleProcess(work)
                .env("NVIDIA_BASE_URL", upstream.baseUrl().toString())
                .env("NVIDIA_API_KEY", UPSTREAM_KEY);
        env.forEach(ncp::env);
        ncp.start();
        relay = RecordingRelay.start(ncp.url(""));
    }

    private ClaudeCodeCli.Run claude(String... args) throws IOException, InterruptedException {
        return claude(Map.of(), args);
    }

    private ClaudeCodeCli.Run claude(Map<String, String> extraEnv, String... args)
            throws IOException, InterruptedException {
        var env = ClaudeCodeCli.environment(claudeHome, relay.baseUrl());
        env.putAll(extraEnv);
        List<String> command = new ArrayList<>(List.of(ClaudeCodeCli.executable().toString()));
        command.addAll(List.of(args));
        return ClaudeCodeCli.run(project, env, command);
    }

    /** A stream of {@code fixtures/claude-code-e2e/}, with this test's project directory filled in. */
    private Script projectScript(String name) {
        String sse = new String(Fixtures.resource("/fixtures/claude-code-e2e/" + name), StandardCharsets.UTF_8);
        // The path sits in a JSON string (arguments) inside a JSON string (the chunk): escape it twice.
        String path = jsonEscape(jsonEscape(project.toString()));
        return Script.stream(sse.replace("{{PROJECT}}", path).getBytes(StandardCharsets.UTF_8));
    }

    private static String jsonEscape(String s) {
        String quoted;
        try {
            quoted = JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return quoted.substring(1, quoted.length() - 1);
    }

    /** The text a client should see for an upstream fixture: its content deltas, concatenated. */
    static String fixtureText(String name) throws IOException {
        var text = new StringBuilder();
        for (String line : new String(Fixtures.upstream(name), StandardCharsets.UTF_8).lines().toList()) {
            if (line.startsWith("data: {")) {
                for (JsonNode choice : JSON.readTree(line.substring(6)).path("choices")) {
                    JsonNode content = choice.path("delta").path("content");
                    if (content.isTextual()) {
                        text.append(content.asText());
                    }
                }
            }
        }
        return text.toString();
    }

    private RecordedRequest firstUpstreamRequest() {
        assertFalse(upstream.requests().isEmpty(), "nothing reached the upstream");
        return upstream.requests().get(0);
    }

    /** The upstream request whose conversation carries the result of tool call {@code toolCallId}. */
    private RecordedRequest upstreamRequestWithToolResult(String toolCallId) {
        return upstream.requests().stream()
                .filter(r -> !toolMessageOrEmpty(r, toolCallId).isEmpty())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no upstream request carries the result of " + toolCallId));
    }

    private static String toolMessage(RecordedRequest request, String toolCallId) {
        String text = toolMessageOrEmpty(request, toolCallId);
        assertFalse(text.isEmpty(), "no tool message for " + toolCallId + " in " + request.bodyText());
        return text;
    }

    private static String toolMessageOrEmpty(RecordedRequest request, String toolCallId) {
        for (JsonNode m : request.json().path("messages")) {
            if (m.path("role").asText().equals("tool") && m.path("tool_call_id").asText().equals(toolCallId)) {
                JsonNode content = m.path("content");
                return content.isTextual() ? content.asText() : content.toString();
            }
        }
        return "";
    }

    private static List<JsonNode> assistantBlocks(List<JsonNode> events, String type) {
        return events.stream()
                .filter(e -> e.path("type").asText().equals("assistant"))
                .flatMap(e -> StreamSupport.stream(e.path("message").path("content").spliterator(), false))
                .filter(b -> b.path("type").asText().equals(type))
                .toList();
    }

    private static JsonNode lastAssistantMessage(JsonNode request) {
        JsonNode last = null;
        for (JsonNode m : request.path("messages")) {
            if (m.path("role").asText().equals("assistant")) {
                last = m;
            }
        }
        assertTrue(last != null, "no assistant turn in " + request);
        return last;
    }

    /** The signature of the first thinking block ncp streamed to Claude Code (the one its follow-up sends back). */
    private String signatureNcpSent() throws IOException {
        List<String> signatures = new ArrayList<>();
        for (String answer : relay.messagesAnswers()) {
            for (String line : answer.lines().filter(l -> l.startsWith("data: {")).toList()) {
                JsonNode delta = JSON.readTree(line.substring(6)).path("delta");
                if (delta.path("type").asText().equals("signature_delta")) {
                    signatures.add(delta.path("signature").asText());
                }
            }
        }
        assertFalse(signatures.isEmpty(), "no signed thinking block in ncp's answers");
        return signatures.get(0);
    }

    /** The {@code reasoning_content} of the upstream assistant message that made tool call {@code toolCallId}. */
    private static String reasoningBeforeToolCall(RecordedRequest request, String toolCallId) {
        for (JsonNode m : request.json().path("messages")) {
            for (JsonNode call : m.path("tool_calls")) {
                if (call.path("id").asText().equals(toolCallId)) {
                    return m.path("reasoning_content").asText("");
                }
            }
        }
        return fail("no assistant message made " + toolCallId + " in " + request.bodyText());
    }

    /** Each Messages request Claude Code sent, held against the upstream request ncp made of it (same order). */
    private void assertEveryMessagesRequestReachedTheUpstreamIntact() {
        List<JsonNode> sent = relay.messagesRequests();
        List<RecordedRequest> received = upstream.requests();
        assertFalse(sent.isEmpty(), "Claude Code sent no Messages request");
        assertEquals(sent.size(), received.size(), "Messages requests vs upstream requests");
        for (int i = 0; i < sent.size(); i++) {
            assertEquals("/v1/chat/completions", received.get(i).path());
            UpstreamRequestCheck.assertCarries(sent.get(i), received.get(i).json());
        }
    }
}
