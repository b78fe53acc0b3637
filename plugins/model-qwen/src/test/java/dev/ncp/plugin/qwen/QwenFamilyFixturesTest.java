package dev.ncp.plugin.qwen;

import dev.ncp.host.testing.FamilyFixturesThroughTheProxy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Qwen answers as NIM streams them — {@code reasoning_content}, inline {@code <think>}, Qwen3-Coder's XML call in
 * the content, parallel tool calls —
 * through a whole ncp with the plugin jar loaded, cut at every byte offset in a few plays: the SDK's streamed and
 * non-streamed messages are always the expected one ({@code family/*.expected.json}). One proxy serves the whole class.
 */
class QwenFamilyFixturesTest extends FamilyFixturesThroughTheProxy {

    QwenFamilyFixturesTest() {
        super(QwenAdapter.class, "model-qwen");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "qwen3-reasoning-content,         qwen/qwen3-235b-a22b,                true",
            "qwen3-think-tags,                qwen/qwen3-235b-a22b,                true",
            "qwen3-coder-xml-tool-call,       qwen/qwen3-coder-480b-a35b-instruct, false",
            "qwen3-coder-parallel-tool-calls, qwen/qwen3-coder-480b-a35b-instruct, false"})
    void everyCutGivesTheExpectedMessage(String fixture, String model, boolean thinking) {
        assertEveryCutGivesTheExpectedMessage(fixture, model, thinking);
    }
}
