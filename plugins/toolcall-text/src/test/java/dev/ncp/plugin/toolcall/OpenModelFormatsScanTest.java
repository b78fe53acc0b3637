package dev.ncp.plugin.toolcall;

import static dev.ncp.plugin.toolcall.Scans.assertSplitInvariant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.plugin.toolcall.Scans.Call;
import dev.ncp.plugin.toolcall.Scans.Text;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The open models' formats (Hermes, Nemotron, Llama, Mistral, DSML) scanned at once, split anywhere. */
class OpenModelFormatsScanTest {

    private static final ToolCallSyntax OPEN = new AnyOfSyntax(List.of(
            new JsonCallSyntax(JsonCallSyntax.HERMES), new JsonCallSyntax(JsonCallSyntax.NEMOTRON),
            new JsonCallSyntax(JsonCallSyntax.LLAMA), new JsonCallSyntax(JsonCallSyntax.MISTRAL),
            new DsmlSyntax()));
    private static final ToolCatalog TOOLS = new ToolCatalog(Map.of(
            "Read", Map.of("type", "object", "properties", Map.of("file_path", Scans.STRING,
                    "limit", Map.of("type", "integer"))),
            "Grep", Map.of("type", "object", "properties", Map.of("pattern", Scans.STRING, "path", Scans.STRING)),
            "Bash", Map.of("type", "object", "properties", Map.of("command", Scans.STRING))));

    @Test
    void hermesCallsInTagsBecomeCalls() {
        assertSplitInvariant(OPEN, TOOLS, "I will look.\n<tool_call>\n{\"name\": \"Read\", \"arguments\": "
                + "{\"file_path\": \"/a\"}}\n</tool_call>", List.of(new Text("I will look."),
                new Call("Read", null, "{\"file_path\": \"/a\"}")));
    }

    @Test
    void hermesArgumentsGivenAsAStringAreTheObjectInside() {
        assertSplitInvariant(OPEN, TOOLS, "<tool_call>{\"name\": \"Read\", \"arguments\": "
                + "\"{\\\"file_path\\\": \\\"/a\\\"}\"}</tool_call>", List.of(new Call("Read", null,
                "{\"file_path\": \"/a\"}")));
    }

    @Test
    void aHermesCallWithoutItsClosingTagEndsWithItsJson() {
        assertSplitInvariant(OPEN, TOOLS, "<tool_call>{\"name\": \"Bash\", \"arguments\": {\"command\": \"ls\"}}"
                + "\nDone.", List.of(new Call("Bash", null, "{\"command\": \"ls\"}"), new Text("Done.")));
        assertSplitInvariant(OPEN, TOOLS, "<tool_call>{\"name\": \"Bash\", \"arguments\": {}}</tool_",
                List.of(new Call("Bash", null, "{}")));
    }

    @Test
    void nemotronMistralAndLlamaCallsBecomeCalls() {
        assertSplitInvariant(OPEN, TOOLS, "<TOOLCALL>[{\"name\": \"Grep\", \"arguments\": {\"pattern\": \"x\"}},"
                + " {\"name\": \"Read\", \"arguments\": {\"file_path\": \"/b\"}}]</TOOLCALL>", List.of(
                new Call("Grep", null, "{\"pattern\": \"x\"}"), new Call("Read", null, "{\"file_path\": \"/b\"}")));
        assertSplitInvariant(OPEN, TOOLS, "[TOOL_CALLS][{\"name\": \"Read\", \"arguments\": {\"file_path\": \"/c\"}}]",
                List.of(new Call("Read", null, "{\"file_path\": \"/c\"}")));
        assertSplitInvariant(OPEN, TOOLS, "<|python_tag|>{\"name\": \"Bash\", \"parameters\": {\"command\": \"pwd\"}}"
                + "<|eom_id|>", List.of(new Call("Bash", null, "{\"command\": \"pwd\"}")));
    }

    @Test
    void dsmlInvokesBecomeCallsTypedByTheirStringAttribute() {
        String b = DsmlSyntax.BAR;
        String text = "Searching.\n<" + b + "DSML" + b + "tool_calls>\n<" + b + "DSML" + b + "invoke name=\"Grep\">\n<"
                + b + "DSML" + b + "parameter name=\"pattern\" string=\"true\">a<b</" + b + "DSML" + b + "parameter>\n"
                + "</" + b + "DSML" + b + "invoke>\n<" + b + "DSML" + b + "invoke name=\"Read\">\n<" + b + "DSML" + b
                + "parameter name=\"file_path\" string=\"true\">/d</" + b + "DSML" + b + "parameter>\n<" + b + "DSML"
                + b + "parameter name=\"limit\" string=\"false\">20</" + b + "DSML" + b + "parameter>\n</" + b + "DSML"
                + b + "invoke>\n</" + b + "DSML" + b + "tool_calls>";
        assertSplitInvariant(OPEN, TOOLS, text, List.of(new Text("Searching."),
                new Call("Grep", null, "{\"pattern\":\"a<b\"}"),
                new Call("Read", null, "{\"file_path\":\"/d\",\"limit\":20}")));
    }

    @Test
    void aNameThatDiffersInCaseOrDashIsTheDeclaredTool() {
        assertSplitInvariant(OPEN, TOOLS, "<tool_call>{\"name\": \"bash\", \"arguments\": {\"command\": \"ls\"}}"
                + "</tool_call>", List.of(new Call("Bash", null, "{\"command\": \"ls\"}")));
        assertEquals(Optional.of("web_fetch"), DeclaredToolNames.match("Web-Fetch", List.of("web_fetch", "Bash")));
        assertEquals(Optional.empty(), DeclaredToolNames.match("a-b", List.of("a_b", "A-B")), "ambiguous");
    }

    @Test
    void proseThatMentionsAMarkerStaysText() {
        String prose = "Some templates put <tool_call> around a call, and [TOOL_CALLS] or <TOOLCALL> too.";
        assertSplitInvariant(OPEN, TOOLS, prose, List.of(new Text(prose)));
    }

    @Test
    void aCallToAnUndeclaredToolStaysText() {
        String text = "<tool_call>{\"name\": \"Deploy\", \"arguments\": {}}</tool_call>";
        assertSplitInvariant(OPEN, TOOLS, text, List.of(new Text(text)));
    }

    @Test
    void aMarkerThatOpensNoCallStaysText() {
        assertSplitInvariant(OPEN, TOOLS, "Hi <|python_tag|>print(1)", List.of(new Text("Hi <|python_tag|>print(1)")));
    }

    @Test
    void onlyAPossibleMarkerIsHeldBack() {
        var held = new StringBuilder();
        var scanner = new TextToolCallScanner(OPEN, TOOLS);
        scanner.feed("Look at <TOOL", new TextToolCallScanner.Output() {
            @Override
            public void text(String text) {
                held.append(text);
            }

            @Override
            public void callStart(String tool, String upstreamId) {
            }

            @Override
            public void callInput(String json) {
            }

            @Override
            public void callEnd() {
            }
        });
        assertEquals("Look at", held.toString());
        assertTrue(JsonText.isObject("{\"a\": [1, {\"b\": null}]}"));
    }
}
