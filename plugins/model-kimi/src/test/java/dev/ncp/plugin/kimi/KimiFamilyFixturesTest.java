package dev.ncp.plugin.kimi;

import dev.ncp.host.testing.FamilyFixturesThroughTheProxy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kimi answers as NIM streams them — K2 Thinking's {@code reasoning_content} and inline {@code <think>}, K2's
 * calls in special tokens in the content, parallel calls with Kimi's {@code functions.NAME:N} ids —
 * through a whole ncp with the plugin jar loaded, cut at every byte offset in a few plays: the SDK's streamed and
 * non-streamed messages are always the expected one ({@code family/*.expected.json}). One proxy serves the whole class.
 */
class KimiFamilyFixturesTest extends FamilyFixturesThroughTheProxy {

    KimiFamilyFixturesTest() {
        super(KimiAdapter.class, "model-kimi");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "kimi-k2-thinking-reasoning-content, moonshotai/kimi-k2-thinking,     true",
            "kimi-k2-thinking-think-tags,        moonshotai/kimi-k2-thinking,     true",
            "kimi-k2-token-tool-call,            moonshotai/kimi-k2-instruct-0905, false",
            "kimi-k2-parallel-tool-calls,        moonshotai/kimi-k2-instruct-0905, false"})
    void everyCutGivesTheExpectedMessage(String fixture, String model, boolean thinking) {
        assertEveryCutGivesTheExpectedMessage(fixture, model, thinking);
    }
}
