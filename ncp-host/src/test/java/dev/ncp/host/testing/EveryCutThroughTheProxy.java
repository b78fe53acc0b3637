package dev.ncp.host.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.anthropic.core.JsonValue;
import com.anthropic.core.ObjectMappers;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.ThinkingConfigEnabled;
import com.anthropic.models.messages.Tool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * For model plugins' family tests: one upstream fixture played through a whole ncp (the plugin loaded from its
 * jar) whole and cut into pieces so that every byte offset is a boundary in some play ({@link EveryOffsetCuts}),
 * read by the official Anthropic SDK both streamed (accumulated)
 * and not, each compared with the expected message in a golden file. Ids that are random per request (the
 * message's, the tool_use ids) and the signatures (HMACs under the proxy's per-install secret) are replaced by
 * placeholders first, once checked present. Rewrite the golden files with {@code -Dncp.golden.update=true} and
 * review the diff.
 */
public final class EveryCutThroughTheProxy {

    /** The tools every family request declares: what Claude Code's calls in the fixtures use. */
    public static final Map<String, Map<String, Object>> TOOLS = Map.of(
            "Read", Map.of("file_path", Map.of("type", "string"), "limit", Map.of("type", "integer")),
            "Grep", Map.of("pattern", Map.of("type", "string"), "path", Map.of("type", "string")),
            "Write", Map.of("file_path", Map.of("type", "string"), "content", Map.of("type", "string")),
            "Bash", Map.of("command", Map.of("type", "string"), "timeout", Map.of("type", "integer")));

    private EveryCutThroughTheProxy() {
    }

    /** A request to {@code model} declaring {@link #TOOLS}, with thinking enabled (budget 1024) when asked. */
    public static MessageCreateParams request(String model, boolean thinking) {
        var b = MessageCreateParams.builder().model(model).maxTokens(4096).addUserMessage("Find the bug in app.py");
        TOOLS.forEach((name, properties) -> b.addTool(Tool.builder().name(name)
                .inputSchema(Tool.InputSchema.builder().properties(JsonValue.from(properties)).build()).build()));
        if (thinking) {
            b.thinking(ThinkingConfigEnabled.builder().budgetTokens(1024).build());
        }
        return b.build();
    }

    /**
     * Plays {@code fixture} (a test resource path) whole, then cut at every offset ({@link EveryOffsetCuts}),
     * streamed and not, and asserts each message equals {@code golden} (a file path relative to the module).
     */
    public static void assertEveryCutGives(ProxyHarness proxy, MessageCreateParams params, String fixture,
                                           Path golden) {
        byte[] body = Fixtures.resource(fixture);
        JsonNode whole = normalized(nonStreamed(proxy, params, Script.stream(body)));
        if (Boolean.getBoolean("ncp.golden.update")) {
            write(golden, whole);
        }
        JsonNode expected = read(golden);
        assertEquals(expected, whole, fixture + " whole, not streamed; golden " + golden);
        assertEquals(expected, normalized(streamed(proxy, params, Script.stream(body))), fixture + " whole, streamed");
        for (int[] plan : EveryOffsetCuts.plans(body.length)) {
            Script script = Script.stream(body).cutAt(plan);
            String how = fixture + " " + EveryOffsetCuts.describe(plan);
            JsonNode streamed = normalized(streamed(proxy, params, script));
            if (!expected.equals(streamed)) {
                assertEquals(expected, streamed, how + ", streamed");
            }
            JsonNode aggregated = normalized(nonStreamed(proxy, params, script));
            if (!expected.equals(aggregated)) {
                assertEquals(expected, aggregated, how + ", not streamed");
            }
        }
    }

    private static Message streamed(ProxyHarness proxy, MessageCreateParams params, Script script) {
        proxy.upstream().enqueue(script);
        var acc = MessageAccumulator.create();
        try (var stream = proxy.client().messages().createStreaming(params)) {
            stream.stream().forEach(acc::accumulate);
        }
        return acc.message();
    }

    private static Message nonStreamed(ProxyHarness proxy, MessageCreateParams params, Script script) {
        proxy.upstream().enqueue(script);
        return proxy.client().messages().create(params);
    }

    /** The message as JSON with per-request ids and signatures replaced by placeholders (after checking them). */
    public static JsonNode normalized(Message message) {
        ObjectNode json = ObjectMappers.jsonMapper().valueToTree(message);
        assertFalse(json.path("id").asText().isEmpty(), "message id");
        json.put("id", "msg_*");
        int tools = 0;
        for (JsonNode block : json.path("content")) {
            ObjectNode b = (ObjectNode) block;
            if (b.path("type").asText().equals("tool_use")) {
                String id = b.path("id").asText();
                assertFalse(!id.startsWith("toolu_") || id.length() < 10, "tool_use id " + id);
                b.put("id", "toolu_*" + tools++);
            }
            if (b.has("signature")) {
                assertFalse(b.path("signature").asText().isEmpty(), "signature of " + b);
                b.put("signature", "*");
            }
        }
        return reread(json); // the SDK's mapper and ours pick different number node types for the same number
    }

    private static JsonNode reread(JsonNode json) {
        try {
            return AnswerHarness.JSON.readTree(json.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(Path golden) {
        try {
            return AnswerHarness.JSON.readTree(Files.readString(golden, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("no golden " + golden + "; run with -Dncp.golden.update=true", e);
        }
    }

    private static void write(Path golden, JsonNode json) {
        try {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, AnswerHarness.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json)
                    + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
