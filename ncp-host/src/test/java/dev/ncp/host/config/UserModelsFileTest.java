package dev.ncp.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The user's models file: every field read as written, every mistake named by file, entry and field. */
class UserModelsFileTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("models.yaml"), yaml);
    }

    @Test
    void everyFieldAndTheFamilyTargetsAreRead() throws IOException {
        UserModels user = UserModelsFile.read(write("""
                models:
                  - id: acme/coder-70b
                    family: acme-coder
                    aliases: [coder, claude-acme]
                    context_window: 262144
                    max_output_tokens: 32768
                    tools: true
                    vision: true
                    reasoning: true
                    pdf: false
                    forced_tool_choice: false
                    reasoning_style: qwen-kwargs
                    fallbacks: [meta/llama-3.3-70b-instruct]
                    sampling: {temperature: 0.6, top_k: 20, repetition_penalty: 1.05}
                  - id: meta/llama-3.3-70b-instruct
                    context_window: 65536
                claude:
                  opus: acme/coder-70b
                  haiku: claude-llama-3-3
                """));
        assertEquals(new UserModelEntry("acme/coder-70b", "acme-coder", List.of("coder", "claude-acme"), 262_144,
                32_768, true, true, true, false, false, "qwen-kwargs", List.of("meta/llama-3.3-70b-instruct"),
                Map.of("temperature", 0.6, "top_k", 20, "repetition_penalty", 1.05)), user.entries().get(0));
        UserModelEntry partial = user.entries().get(1);
        assertEquals(65_536, partial.contextWindow());
        assertNull(partial.tools());
        assertNull(partial.aliases());
        assertEquals(Map.of(ClaudeFamily.OPUS, "acme/coder-70b", ClaudeFamily.HAIKU, "claude-llama-3-3"),
                user.familyTargets());
    }

    @Test
    void anEmptyFileSaysNothing() throws IOException {
        assertEquals(UserModels.NONE, UserModelsFile.read(write("# nothing yet\n")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "models:\\n  - id: acme/x\\n    context_window: big"
                + "|: models[0] (acme/x): context_window: expected a whole number above 0, got \"big\"",
        "models:\\n  - id: acme/x\\n    context_window: -5"
                + "|: models[0] (acme/x): context_window: expected a whole number above 0, got -5",
        "models:\\n  - id: acme/x\\n    vision: yes please"
                + "|: models[0] (acme/x): vision: expected true or false, got \"yes please\"",
        "models:\\n  - id: acme/x\\n  - family: nameless"
                + "|: models[1]: id: required: the upstream model id, e.g. qwen/qwen3-coder-480b-a35b-instruct",
        "models:\\n  - id: acme/x\\n    context_windw: 8192"
                + "|: models[0] (acme/x): context_windw: unknown field; known fields: id, family, aliases,"
                + " context_window, max_output_tokens, tools, vision, reasoning, pdf, forced_tool_choice,"
                + " reasoning_style, fallbacks, sampling, upstreams",
        "models:\\n  - id: acme/x\\n    aliases: coder"
                + "|: models[0] (acme/x): aliases: expected a list of model names such as [a, b], got \"coder\"",
        "models:\\n  - id: acme/x\\n    sampling: {temperature: hot}"
                + "|: models[0] (acme/x): sampling.temperature: expected a number, got \"hot\"",
        "models:\\n  - id: acme/x\\n  - id: acme/x"
                + "|: models[1] (acme/x): id: already described by models[0]; merge the two entries.",
        "models:\\n  id: acme/x"
                + "|: models: expected a list of entries (each starting with '- id:').",
        "claude:\\n  gpt: acme/x"
                + "|: claude.gpt: unknown family; use opus, sonnet or haiku.",
        "routes:\\n  think: acme/x"
                + "|: unknown section 'routes'; a models file has 'models:' (a list of entries), 'claude:'"
                + " (opus/sonnet/haiku targets) and 'upstreams:' (named upstreams).",
    })
    void aBadEntryStopsStartupNamingFileEntryAndField(String yaml, String message) throws IOException {
        Path file = write(yaml.replace("\\n", "\n"));
        var e = assertThrows(ConfigException.class, () -> UserModelsFile.read(file));
        assertEquals(file + message, e.getMessage());
    }

    @Test
    void brokenYamlNamesTheFile() throws IOException {
        Path file = write("models: [\n");
        var e = assertThrows(ConfigException.class, () -> UserModelsFile.read(file));
        assertEquals(true, e.getMessage().startsWith(file + ": cannot read the models file: "), e.getMessage());
    }
}
