package dev.ncp.plugin.nemotron;

import dev.ncp.host.testing.FamilyFixturesThroughTheProxy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Nemotron answers as NIM streams them — Nemotron 3's {@code reasoning_content}, Super v1.5's inline
 * {@code <think>}, Nemotron 3's XML call in the content, reasoning then parallel tool calls —
 * through a whole ncp with the plugin jar loaded, cut at every byte offset in a few plays: the SDK's streamed and
 * non-streamed messages are always the expected one ({@code family/*.expected.json}). One proxy serves the whole class.
 */
class NemotronFamilyFixturesTest extends FamilyFixturesThroughTheProxy {

    NemotronFamilyFixturesTest() {
        super(NemotronAdapter.class, "model-nemotron");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "nemotron-3-reasoning-content,   nvidia/nemotron-3-super-120b-a12b,        true",
            "nemotron-super-think-tags,      nvidia/llama-3.3-nemotron-super-49b-v1.5, true",
            "nemotron-3-xml-tool-call,       nvidia/nemotron-3-super-120b-a12b,        false",
            "nemotron-3-parallel-tool-calls, nvidia/nemotron-3-super-120b-a12b,        true"})
    void everyCutGivesTheExpectedMessage(String fixture, String model, boolean thinking) {
        assertEveryCutGivesTheExpectedMessage(fixture, model, thinking);
    }
}
