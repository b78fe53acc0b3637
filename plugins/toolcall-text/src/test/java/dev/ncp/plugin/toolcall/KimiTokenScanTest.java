package dev.ncp.plugin.toolcall;

import static dev.ncp.plugin.toolcall.Scans.assertSplitInvariant;
import static dev.ncp.plugin.toolcall.Scans.tools;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ncp.plugin.toolcall.Scans.Call;
import dev.ncp.plugin.toolcall.Scans.Text;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kimi K2's tool-call tokens and stray special tokens in text, split anywhere. */
class KimiTokenScanTest {

    private static final KimiTokenSyntax KIMI = new KimiTokenSyntax();
    private static final ToolCatalog TOOLS = tools("Read", "Grep");

    @Test
    void aToolCallSectionBecomesCallsWithKimisIds() {
        String text = "Let me look.<|tool_calls_section_begin|><|tool_call_begin|>functions.Read:0"
                + "<|tool_call_argument_begin|>{\"file_path\": \"/repo/README.md\"}<|tool_call_end|>"
                + "<|tool_call_begin|>functions.Grep:1<|tool_call_argument_begin|>{\"pattern\": \"TODO\"}"
                + "<|tool_call_end|><|tool_calls_section_end|>";
        assertSplitInvariant(KIMI, TOOLS, text, List.of(new Text("Let me look."),
                new Call("Read", "functions.Read:0", "{\"file_path\": \"/repo/README.md\"}"),
                new Call("Grep", "functions.Grep:1", "{\"pattern\": \"TODO\"}")));
    }

    @Test
    void strayTokensAreRemovedFromText() {
        assertSplitInvariant(KIMI, TOOLS, "All done.<|im_end|>", List.of(new Text("All done.")));
        assertSplitInvariant(KIMI, TOOLS, "a<|tool_calls_section_end|>b<|tool_call_end|>c", List.of(new Text("abc")));
    }

    @Test
    void strayTokensAreRemovedEvenWhenNoToolsWereOffered() {
        assertSplitInvariant(KIMI, new ToolCatalog(Map.of()), "Hi <|im_end|>there<|tool_call_begin|>",
                List.of(new Text("Hi there<|tool_call_begin|>")));
    }

    @Test
    void emptyArgumentsAreAnEmptyObject() {
        assertSplitInvariant(KIMI, TOOLS, "<|tool_call_begin|>functions.Read:3<|tool_call_argument_begin|>"
                + "<|tool_call_end|>", List.of(new Call("Read", "functions.Read:3", "{}")));
    }

    @Test
    void aCallWithBrokenJsonKeepsItsTextWithoutTheTokens() {
        String text = "<|tool_calls_section_begin|><|tool_call_begin|>functions.Read:0<|tool_call_argument_begin|>"
                + "{\"file_path\": <|tool_call_end|><|tool_calls_section_end|>";
        assertSplitInvariant(KIMI, TOOLS, text, List.of(new Text("functions.Read:0{\"file_path\": ")));
    }

    @Test
    void anUnterminatedCallKeepsItsTextWithoutTheTokens() {
        String text = "Reading.<|tool_call_begin|>functions.Read:0<|tool_call_argument_begin|>{\"file_path\": \"/a";
        assertSplitInvariant(KIMI, TOOLS, text, List.of(new Text("Reading.functions.Read:0{\"file_path\": \"/a")));
    }

    @Test
    void aCallToAnUndeclaredToolIsNotRecovered() {
        String text = "<|tool_call_begin|>functions.Bash:0<|tool_call_argument_begin|>{}<|tool_call_end|>";
        assertSplitInvariant(KIMI, TOOLS, text, List.of(new Text("functions.Bash:0{}")));
    }

    @Test
    void theToolNameComesFromTheId() {
        assertEquals("Read", KimiTokenSyntax.toolOf("functions.Read:0"));
        assertEquals("mcp__git__log", KimiTokenSyntax.toolOf("functions.mcp__git__log:12"));
        assertEquals("Read", KimiTokenSyntax.toolOf("Read"));
        assertEquals("a:b", KimiTokenSyntax.toolOf("functions.a:b"));
    }
}
