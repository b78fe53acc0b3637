package dev.ncp.plugin.deepseek;

import dev.ncp.host.testing.FamilyFixturesThroughTheProxy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * DeepSeek answers as NIM streams them — R1's {@code reasoning_content}, R1's inline {@code <think>} and its
 * template-opened reasoning closed by a bare {@code </think>}, V3.1's
 * reasoning then parallel tool calls —
 * through a whole ncp with the plugin jar loaded, cut at every byte offset in a few plays: the SDK's streamed and
 * non-streamed messages are always the expected one ({@code family/*.expected.json}). One proxy serves the whole class.
 */
class DeepSeekFamilyFixturesTest extends FamilyFixturesThroughTheProxy {

    DeepSeekFamilyFixturesTest() {
        super(DeepSeekAdapter.class, "model-deepseek");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "deepseek-r1-reasoning-content,     deepseek-ai/deepseek-r1-0528, true",
            "deepseek-r1-think-tags,            deepseek-ai/deepseek-r1-0528, true",
            "deepseek-r1-bare-close-think,      deepseek-ai/deepseek-r1-0528, true",
            "deepseek-v3.1-parallel-tool-calls, deepseek-ai/deepseek-v3.1,    true"})
    void everyCutGivesTheExpectedMessage(String fixture, String model, boolean thinking) {
        assertEveryCutGivesTheExpectedMessage(fixture, model, thinking);
    }
}
