package dev.ncp.plugin.gptoss;

import dev.ncp.host.testing.FamilyFixturesThroughTheProxy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * gpt-oss answers as NIM streams them — the {@code reasoning} field, the older {@code reasoning_content}, reasoning
 * then parallel tool calls —
 * through a whole ncp with the plugin jar loaded, cut at every byte offset in a few plays: the SDK's streamed and
 * non-streamed messages are always the expected one ({@code family/*.expected.json}). One proxy serves the whole class.
 */
class GptOssFamilyFixturesTest extends FamilyFixturesThroughTheProxy {

    GptOssFamilyFixturesTest() {
        super(GptOssAdapter.class, "model-gptoss");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "gpt-oss-reasoning-field,     openai/gpt-oss-120b, true",
            "gpt-oss-reasoning-content,   openai/gpt-oss-120b, true",
            "gpt-oss-parallel-tool-calls, openai/gpt-oss-120b, true"})
    void everyCutGivesTheExpectedMessage(String fixture, String model, boolean thinking) {
        assertEveryCutGivesTheExpectedMessage(fixture, model, thinking);
    }
}
