package dev.ncp.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/**
 * Pads a recorded Claude Code request with the history of an agent session — read a file, edit it, run the tests —
 * until the body reaches a target size. Each round is an assistant turn (a sentence and a tool_use for a tool the
 * request declares: Read, Edit or Bash) answered by a user turn with its tool_result, the shape Claude Code sends
 * after a few minutes of work.
 */
final class SyntheticHistory {

    private final ObjectMapper json;

    SyntheticHistory(ObjectMapper json) {
        this.json = json;
    }

    /** A copy of {@code body} with rounds appended to its messages until it serializes to at least targetBytes. */
    ObjectNode padded(ObjectNode body, int targetBytes) {
        ObjectNode copy = body.deepCopy();
        ArrayNode messages = (ArrayNode) copy.get("messages");
        int size = size(copy);
        for (int round = 0; size < targetBytes; round++) {
            ObjectNode assistant = turn(round);
            ObjectNode result = resultOf(round);
            messages.add(assistant);
            messages.add(result);
            size += size(assistant) + size(result) + 2;
        }
        return copy;
    }

    private ObjectNode turn(int round) {
        String id = "toolu_bench_" + String.format("%04d", round);
        String file = "/home/dev/project/src/main/java/dev/example/Service" + round / 3 + ".java";
        ObjectNode assistant = json.createObjectNode().put("role", "assistant");
        ArrayNode content = assistant.putArray("content");
        ObjectNode use = json.createObjectNode().put("type", "tool_use").put("id", id);
        ObjectNode input = use.putObject("input");
        switch (round % 3) {
            case 0 -> {
                text(content, "Let me look at Service" + round / 3 + " before changing it.");
                use.put("name", "Read");
                input.put("file_path", file);
            }
            case 1 -> {
                text(content, "The limit check is off by one; I'll fix the bound and keep the message in sync.");
                use.put("name", "Edit");
                input.put("file_path", file)
                        .put("old_string", "        if (limit <= 0 || limit > 100) {\n")
                        .put("new_string", "        if (limit < 1 || limit > 100) {\n")
                        .put("replace_all", false);
            }
            default -> {
                text(content, "Now I'll run the tests for this service.");
                use.put("name", "Bash");
                input.put("command", "./gradlew test --tests 'dev.example.Service" + round / 3 + "Test'")
                        .put("description", "Run Service" + round / 3 + " tests");
            }
        }
        content.add(use);
        return assistant;
    }

    private ObjectNode resultOf(int round) {
        int seed = round / 3;
        String output = switch (round % 3) {
            case 0 -> SourceSamples.numbered(SourceSamples.javaFile(seed, 6));
            case 1 -> "The file /home/dev/project/src/main/java/dev/example/Service" + seed + ".java has been updated."
                    + " Here's the result of running `cat -n` on a snippet of the edited file:\n"
                    + SourceSamples.numbered(SourceSamples.javaFile(seed, 1));
            default -> SourceSamples.testRunOutput(seed, 12);
        };
        ObjectNode user = json.createObjectNode().put("role", "user");
        user.putArray("content").addObject()
                .put("type", "tool_result")
                .put("tool_use_id", "toolu_bench_" + String.format("%04d", round))
                .put("content", output);
        return user;
    }

    private static void text(ArrayNode content, String text) {
        content.addObject().put("type", "text").put("text", text);
    }

    private int size(Object node) {
        try {
            return json.writeValueAsBytes(node).length;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
