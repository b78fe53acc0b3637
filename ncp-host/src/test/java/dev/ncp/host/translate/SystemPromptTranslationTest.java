package dev.ncp.host.translate;

import static dev.ncp.host.translate.Translation.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class SystemPromptTranslationTest {

    @Test
    void stringSystemBecomesTheLeadingSystemMessage() {
        JsonNode messages = messages("{\"model\":\"m\",\"system\":\"Be terse.\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hi\"}]}");
        assertEquals("{\"role\":\"system\",\"content\":\"Be terse.\"}", messages.get(0).toString());
        assertEquals("{\"role\":\"user\",\"content\":\"Hi\"}", messages.get(1).toString());
    }

    @Test
    void systemBlocksAreJoinedWithABlankLineAndEmptyOnesDropped() {
        JsonNode messages = messages("{\"model\":\"m\",\"system\":[{\"type\":\"text\",\"text\":\"A\"},{\"type\":"
                + "\"text\",\"text\":\"  \"},{\"type\":\"text\",\"text\":\"B\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertEquals("A\n\nB", messages.get(0).get("content").asText());
    }

    @Test
    void emptySystemSendsNoSystemMessage() {
        JsonNode messages = messages("{\"model\":\"m\",\"system\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertEquals(1, messages.size());
        assertEquals("user", messages.get(0).get("role").asText());
    }

    @Test
    void systemMessagesBeforeTheFirstAssistantTurnFoldIntoTheLeadingSystemMessageInOrder() {
        JsonNode messages = messages("{\"model\":\"m\",\"system\":\"S\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"U1\"},{\"role\":\"system\",\"content\":\"ENV\"},{\"role\":\"system\",\"content\":[{\"type\":\"text\","
                + "\"text\":\"MORE\"}]},{\"role\":\"user\",\"content\":\"U2\"}]}");
        assertEquals(2, messages.size());
        assertEquals("S\n\nENV\n\nMORE", messages.get(0).get("content").asText());
        assertEquals("U1\nU2", messages.get(1).get("content").asText());
    }

    @Test
    void systemMessageAfterAnAssistantTurnStaysInPlaceAsAUserNote() {
        JsonNode messages = messages("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"U1\"},"
                + "{\"role\":\"assistant\",\"content\":\"A1\"},{\"role\":\"system\",\"content\":\"Plan mode is on.\"},"
                + "{\"role\":\"user\",\"content\":\"U2\"}]}");
        assertEquals(3, messages.size());
        assertEquals("user", messages.get(0).get("role").asText());
        assertEquals("assistant", messages.get(1).get("role").asText());
        assertEquals("{\"role\":\"user\",\"content\":\"[system] Plan mode is on.\\nU2\"}", messages.get(2).toString());
    }

    @Test
    void consecutiveUserMessagesAreMergedAsAnthropicDoes() {
        JsonNode messages = messages("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},"
                + "{\"role\":\"user\",\"content\":\"b\"},{\"role\":\"assistant\",\"content\":\"c\"},"
                + "{\"role\":\"assistant\",\"content\":\"d\"}]}");
        assertEquals("[{\"role\":\"user\",\"content\":\"a\\nb\"},{\"role\":\"assistant\",\"content\":\"c\\nd\"}]",
                messages.toString());
    }
}
