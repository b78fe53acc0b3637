package dev.ncp.host.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.anthropic.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * 500 random conversations (seeded, so a failure reproduces): translation keeps every message in order, answers
 * every tool call exactly once right after it with the result that belongs to it, and forwards every image.
 */
class TranslationPropertyTest {

    private static final int CONVERSATIONS = 500;
    private static final Pattern MARKER = Pattern.compile("<([AUSRT])\\d+>");

    @Test
    void translationPreservesOrderAndToolPairingForRandomConversations() throws Exception {
        int toolUses = 0;
        int results = 0;
        int images = 0;
        int lateSystem = 0;
        int thinking = 0;
        for (long seed = 1; seed <= CONVERSATIONS; seed++) {
            var generated = new ConversationGenerator(seed, Translation.IDS).generate();
            toolUses += generated.toolUses();
            results += generated.resultMarkerToToolUseId().size();
            images += generated.images();
            lateSystem += (int) generated.conversationMarkers().stream().filter(m -> m.startsWith("<S")).count();
            thinking += generated.thinkingMarkers().size();
            byte[] body = Fixtures.JSON.writeValueAsBytes(generated.body());
            TranslatedRequest translated = Translation.TRANSLATOR.translate(Translation.PARSER.parse(body),
                    Translation.VISION_MODEL);
            check(seed, generated, translated);
        }
        // The generator must exercise every case: missing results, images, late system notes, thinking.
        assertTrue(toolUses > 1000 && results < toolUses && results > toolUses / 2, toolUses + "/" + results);
        assertTrue(images > 200 && lateSystem > 200 && thinking > 500, images + "/" + lateSystem + "/" + thinking);
    }

    private static void check(long seed, ConversationGenerator.Generated g, TranslatedRequest t) {
        String context = "seed " + seed;
        JsonNode messages = Translation.wire(t).get("messages");
        FixtureTranslationTest.assertAtMostOneLeadingSystemMessage(messages);
        FixtureTranslationTest.assertEveryToolCallAnsweredOnceRightAfterIt(messages);
        assertEquals(g.toolUses(), FixtureTranslationTest.countToolCalls(messages), context);

        int first = g.earlySystemMarkers().isEmpty() ? 0 : 1;
        if (first == 1) {
            assertEquals(g.earlySystemMarkers(), markers(messages.get(0).get("content").asText(), "S"), context);
        }
        var conversation = new ArrayList<String>();
        for (int i = first; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            if (!m.get("role").asText().equals("tool")) {
                conversation.addAll(markers(m.path("content").toString(), "AUS"));
            }
        }
        assertEquals(g.conversationMarkers(), conversation, context);
        checkResults(g.resultMarkerToToolUseId(), messages, context);
        checkThinking(g, t, messages, context);
        assertEquals(g.images(), Translation.wire(t).toString().split("data:image/png;base64,", -1).length - 1,
                context);
    }

    /** Each result's marker is in exactly the tool message answering its own call. */
    private static void checkResults(Map<String, String> results, JsonNode messages, String context) {
        results.forEach((marker, toolUseId) -> {
            String upstreamId = Translation.IDS.toUpstream(toolUseId);
            int found = 0;
            for (JsonNode m : messages) {
                if (m.get("content") != null && m.get("content").toString().contains(marker)) {
                    assertEquals("tool", m.get("role").asText(), context + " " + marker);
                    assertEquals(upstreamId, m.get("tool_call_id").asText(), context + " " + marker);
                    found++;
                }
            }
            assertEquals(1, found, context + " " + marker);
        });
    }

    private static void checkThinking(ConversationGenerator.Generated g, TranslatedRequest t, JsonNode messages,
            String context) {
        assertFalse(Translation.wire(t).toString().contains("<T"), context + ": thinking leaked upstream");
        var kept = new ArrayList<String>();
        t.historyReasoning().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            assertEquals("assistant", messages.get(e.getKey()).get("role").asText(), context);
            kept.addAll(markers(e.getValue(), "T"));
        });
        assertEquals(g.thinkingMarkers(), kept, context);
        assertTrue(t.estimatedInputTokens() > 0, context);
    }

    private static List<String> markers(String text, String kinds) {
        var found = new ArrayList<String>();
        Matcher m = MARKER.matcher(text);
        while (m.find()) {
            if (kinds.contains(m.group(1))) {
                found.add(m.group());
            }
        }
        return found;
    }
}
