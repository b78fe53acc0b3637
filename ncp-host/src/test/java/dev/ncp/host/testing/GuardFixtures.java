package dev.ncp.host.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.core.JsonValue;
import com.anthropic.core.ObjectMappers;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Tool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The open models' tool-call mistakes ({@code fixtures/upstream/guard-*.sse}) and the message INDEX.md says each
 * must give, for tests that play them through a whole ncp (in-process, or the bundle with every plugin).
 */
public final class GuardFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STRING = "{\"type\": \"string\"}";
    private static final String INTEGER = "{\"type\": \"integer\"}";

    /**
     * One fixture: the content the client must see (text blocks by text, tool_use blocks by name and input), its
     * stop_reason, and the intervention the guard counts for it (the wire name of its kind; null for none).
     */
    public record Case(String fixture, JsonNode content, String stopReason, String counted) {
        @Override
        public String toString() {
            return fixture;
        }
    }

    /** The request's tools, as Claude Code declares them (the parts the fixtures use): name → properties. */
    public static final Map<String, String> TOOLS = tools();

    public static final List<Case> CASES = List.of(
            new Case("guard-args-trailing-comma.sse", content(tool("Bash",
                    "{\"command\": \"npm run lint\", \"description\": \"Run the linter\"}")), "tool_use",
                    "args_repaired"),
            new Case("guard-args-truncated-brace.sse", content(tool("Read",
                    "{\"file_path\": \"/home/dev/app/TODO.md\"}")), "tool_use", "args_repaired"),
            new Case("guard-args-string-integer.sse", content(tool("Read",
                    "{\"file_path\": \"/home/dev/app/server.log\", \"offset\": 300, \"limit\": 25}")), "tool_use",
                    "args_coerced"),
            new Case("guard-args-fenced.sse", content(tool("Grep",
                    "{\"pattern\": \"XXX\", \"path\": \"/home/dev/app/lib\"}")), "tool_use", "args_repaired"),
            new Case("guard-name-case.sse", content(text("Checking the user."), tool("Bash",
                    "{\"command\": \"whoami\"}")), "tool_use", "name_fixed"),
            new Case("guard-hermes-json-in-text.sse", content(text("I will look at the changelog."), tool("Read",
                    "{\"file_path\": \"/home/dev/app/CHANGELOG.md\"}")), "tool_use", "text_call"),
            new Case("guard-nemotron-toolcall-tag.sse", content(tool("Grep",
                    "{\"pattern\": \"legacy\", \"path\": \"/home/dev/app\"}")), "tool_use", "text_call"),
            new Case("guard-llama-python-tag.sse", content(tool("Bash", "{\"command\": \"cat VERSION\"}")),
                    "tool_use", "text_call"),
            new Case("guard-mistral-tool-calls.sse", content(tool("Read",
                    "{\"file_path\": \"/home/dev/app/pom.xml\"}")), "tool_use", "text_call"),
            new Case("guard-deepseek-dsml.sse", content(tool("Grep",
                    "{\"pattern\": \"FIXME\", \"path\": \"/home/dev/app\"}")), "tool_use", "text_call"),
            new Case("guard-prose-mentions-tag.sse", content(text("Some templates put <tool_call> around a call,"
                    + " and this sentence only talks about them.")), "end_turn", null));

    private GuardFixtures() {
    }

    /** A request to {@code model} declaring {@link #TOOLS}, for the SDK. */
    @SuppressWarnings("unchecked")
    public static MessageCreateParams params(String model) {
        var b = MessageCreateParams.builder().model(model).maxTokens(4096).addUserMessage("Tidy up the app");
        TOOLS.forEach((name, properties) -> b.addTool(Tool.builder().name(name)
                .inputSchema(Tool.InputSchema.builder()
                        .properties(JsonValue.from(JSON.convertValue(read(properties), Map.class))).build())
                .build()));
        return b.build();
    }

    /** The same request as a raw JSON body. */
    public static String requestJson(String model, boolean stream) {
        var tools = new StringBuilder();
        TOOLS.forEach((name, properties) -> tools.append(tools.isEmpty() ? "" : ",").append("{\"name\": \"")
                .append(name).append("\", \"input_schema\": {\"type\": \"object\", \"properties\": ")
                .append(properties).append("}}"));
        return "{\"model\": \"" + model + "\", \"max_tokens\": 4096, \"stream\": " + stream + ", \"messages\": "
                + "[{\"role\": \"user\", \"content\": \"Tidy up the app\"}], \"tools\": [" + tools + "]}";
    }

    /** An SDK message's content as compared with {@link Case#content()}. */
    public static JsonNode comparable(com.anthropic.models.messages.Message message) {
        return comparable(ObjectMappers.jsonMapper().<ObjectNode>valueToTree(message).path("content"));
    }

    /** Content blocks (JSON) as compared: text blocks by text, tool_use by name and input (ids checked, left out). */
    public static JsonNode comparable(JsonNode content) {
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode block : content) {
            ObjectNode b = out.addObject();
            String type = block.path("type").asText();
            b.put("type", type);
            if (type.equals("tool_use")) {
                assertTrue(block.path("id").asText().matches("toolu_[0-9A-Za-z]+"), block.toString());
                b.put("name", block.path("name").asText());
                b.set("input", read(block.path("input").toString())); // one number type for every reader
            } else {
                b.put("text", block.path("text").asText());
            }
        }
        return out;
    }

    private static JsonNode content(String... blocks) {
        return read("[" + String.join(", ", blocks) + "]");
    }

    private static String tool(String name, String input) {
        return "{\"type\": \"tool_use\", \"name\": \"" + name + "\", \"input\": " + input + "}";
    }

    private static String text(String text) {
        return "{\"type\": \"text\", \"text\": " + JSON.valueToTree(text) + "}";
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> tools() {
        var tools = new LinkedHashMap<String, String>();
        tools.put("Read", "{\"file_path\": " + STRING + ", \"offset\": " + INTEGER + ", \"limit\": " + INTEGER + "}");
        tools.put("Grep", "{\"pattern\": " + STRING + ", \"path\": " + STRING + "}");
        tools.put("Bash", "{\"command\": " + STRING + ", \"description\": " + STRING + ", \"timeout\": " + INTEGER
                + "}");
        return java.util.Collections.unmodifiableMap(tools);
    }
}
