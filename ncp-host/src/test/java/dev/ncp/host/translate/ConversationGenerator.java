package dev.ncp.host.translate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random but valid Anthropic conversations for property tests: text, tool_use with results in shuffled order (some
 * missing), images (top level and inside results), thinking blocks and system messages anywhere. Every text carries
 * a unique marker such as {@code <U12>} so a test can follow it through translation.
 */
final class ConversationGenerator {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
    private static final List<String> TOOLS = List.of("Read", "Bash", "Edit", "mcp__github__create_pull_request");

    /** What was generated: the request and the facts a test checks against. */
    record Generated(ObjectNode body, List<String> conversationMarkers, List<String> earlySystemMarkers,
            Map<String, String> resultMarkerToToolUseId, List<String> thinkingMarkers, int images, int toolUses) {
    }

    private final Random random;
    private final ToolIdCodec ids;
    private int next;
    private final List<String> conversation = new ArrayList<>();
    private final List<String> earlySystem = new ArrayList<>();
    private final Map<String, String> results = new java.util.HashMap<>();
    private final List<String> thinking = new ArrayList<>();
    private int images;
    private int toolUses;
    private boolean assistantSeen;

    ConversationGenerator(long seed, ToolIdCodec ids) {
        this.random = new Random(seed);
        this.ids = ids;
    }

    Generated generate() {
        ObjectNode body = F.objectNode().put("model", "claude-sonnet-4-5").put("max_tokens", 4096);
        ArrayNode tools = body.putArray("tools");
        TOOLS.forEach(t -> tools.addObject().put("name", t).putObject("input_schema").put("type", "object"));
        ArrayNode messages = body.putArray("messages");
        List<String> pending = userTurn(messages, List.of());
        int turns = 1 + random.nextInt(8);
        for (int t = 0; t < turns; t++) {
            maybeSystem(messages);
            pending = assistantTurn(messages);
            maybeSystem(messages);
            if (random.nextInt(10) > 0) {
                pending = userTurn(messages, pending);
            }
        }
        return new Generated(body, conversation, earlySystem, results, thinking, images, toolUses);
    }

    private String marker(String kind) {
        return "<" + kind + next++ + ">";
    }

    private void maybeSystem(ArrayNode messages) {
        if (random.nextInt(4) == 0) {
            String m = marker("S");
            (assistantSeen ? conversation : earlySystem).add(m);
            messages.addObject().put("role", "system").put("content", "note " + m);
        }
    }

    private List<String> assistantTurn(ArrayNode messages) {
        assistantSeen = true;
        ArrayNode content = messages.addObject().put("role", "assistant").putArray("content");
        if (random.nextBoolean()) {
            String m = marker("T");
            thinking.add(m);
            content.addObject().put("type", "thinking").put("thinking", "hmm " + m)
                    .put("signature", Translation.SIGNER.sign("hmm " + m));
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            String m = marker("A");
            conversation.add(m);
            content.addObject().put("type", "text").put("text", "say " + m);
        }
        var pending = new ArrayList<String>();
        for (int i = random.nextInt(4); i > 0; i--) {
            String id = toolUseId();
            pending.add(id);
            toolUses++;
            ObjectNode use = content.addObject().put("type", "tool_use").put("id", id)
                    .put("name", TOOLS.get(random.nextInt(TOOLS.size())));
            use.putObject("input").put("arg", random.nextInt(100)).putArray("list").add("x").add(random.nextBoolean());
        }
        if (content.isEmpty()) {
            String m = marker("A");
            conversation.add(m);
            content.addObject().put("type", "text").put("text", m);
        }
        return pending;
    }

    private String toolUseId() {
        return switch (random.nextInt(4)) {
            case 0 -> "toolu_01" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
            case 1 -> ids.toClient("functions." + TOOLS.get(random.nextInt(TOOLS.size())) + ":" + next++);
            case 2 -> ids.toClient("call_" + Long.toHexString(random.nextLong()));
            default -> ids.toClient("chatcmpl-tool-" + Integer.toHexString(random.nextInt()) + next++);
        };
    }

    private List<String> userTurn(ArrayNode messages, List<String> pending) {
        ArrayNode content = messages.addObject().put("role", "user").putArray("content");
        var answered = new ArrayList<>(pending.stream().filter(p -> random.nextInt(8) > 0).toList());
        Collections.shuffle(answered, random);
        for (String id : answered) {
            String m = marker("R");
            results.put(m, id);
            ObjectNode result = content.addObject().put("type", "tool_result").put("tool_use_id", id);
            if (random.nextBoolean()) {
                result.put("content", "out " + m);
            } else {
                ArrayNode blocks = result.putArray("content");
                blocks.addObject().put("type", "text").put("text", "out " + m);
                maybeImage(blocks);
            }
            if (random.nextInt(5) == 0) {
                result.put("is_error", true);
            }
        }
        for (int i = (answered.isEmpty() ? 1 : 0) + random.nextInt(2); i > 0; i--) {
            String m = marker("U");
            conversation.add(m);
            content.addObject().put("type", "text").put("text", "ask " + m);
        }
        maybeImage(content);
        return List.of();
    }

    private void maybeImage(ArrayNode content) {
        if (random.nextInt(4) == 0) {
            images++;
            content.addObject().put("type", "image").putObject("source").put("type", "base64")
                    .put("media_type", "image/png").put("data", PNG);
        }
    }
}
