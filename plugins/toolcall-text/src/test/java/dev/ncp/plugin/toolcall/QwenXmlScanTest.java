package dev.ncp.plugin.toolcall;

import static dev.ncp.plugin.toolcall.Scans.assertSplitInvariant;
import static dev.ncp.plugin.toolcall.Scans.tools;
import static dev.ncp.plugin.toolcall.Scans.whole;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ncp.plugin.toolcall.Scans.Call;
import dev.ncp.plugin.toolcall.Scans.Segment;
import dev.ncp.plugin.toolcall.Scans.Text;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Qwen3-Coder's XML tool calls in text, split anywhere. */
class QwenXmlScanTest {

    private static final QwenXmlSyntax QWEN = new QwenXmlSyntax();
    private static final ToolCatalog WRITE_AND_READ = new ToolCatalog(Map.of(
            "Write", Map.of("type", "object", "properties", Map.of(
                    "file_path", Map.of("type", "string"), "content", Map.of("type", "string"))),
            "Read", Map.of("type", "object", "properties", Map.of(
                    "file_path", Map.of("type", "string"), "offset", Map.of("type", "integer"),
                    "limit", Map.of("type", "integer")))));

    static final String WRITE_CALL = """
            <tool_call>
            <function=Write>
            <parameter=file_path>
            /tmp/hello.txt
            </parameter>
            <parameter=content>
            hello world
            </parameter>
            </function>
            </tool_call>""";

    @Test
    void textBeforeACallStaysTextAndTheCallBecomesOne() {
        assertSplitInvariant(QWEN, WRITE_AND_READ, "I'll create the file.\n" + WRITE_CALL, List.of(
                new Text("I'll create the file."),
                new Call("Write", null, "{\"file_path\":\"/tmp/hello.txt\",\"content\":\"hello world\"}")));
    }

    @Test
    void eachParameterIsOneInputPieceAndThePiecesConcatenateToTheJson() {
        var result = whole(QWEN, WRITE_AND_READ, WRITE_CALL);
        assertEquals(List.of(List.of("{\"file_path\":\"/tmp/hello.txt\"", ",\"content\":\"hello world\"", "}")),
                result.inputPieces());
    }

    @Test
    void severalCallsWithTextBetweenAndAfterComeOutInOrder() {
        String text = "First I read it.\n<tool_call>\n<function=Read>\n<parameter=file_path>\n/a.txt\n</parameter>\n"
                + "<parameter=limit>\n20\n</parameter>\n</function>\n</tool_call>\n<tool_call>\n<function=Read>\n"
                + "<parameter=file_path>\n/b.txt\n</parameter>\n</function>\n</tool_call>\nThen I write.\n"
                + WRITE_CALL + "\n";
        assertSplitInvariant(QWEN, WRITE_AND_READ, text, List.of(
                new Text("First I read it."),
                new Call("Read", null, "{\"file_path\":\"/a.txt\",\"limit\":20}"),
                new Call("Read", null, "{\"file_path\":\"/b.txt\"}"),
                new Text("Then I write."),
                new Call("Write", null, "{\"file_path\":\"/tmp/hello.txt\",\"content\":\"hello world\"}")));
    }

    @Test
    void valuesKeepNewlinesAndAngleBracketsExactly() {
        String content = "if (a < b && c > d) {\n    x = \"<tag>\"; // </param or </parameter without the >\n}\n\n"
                + "<tool_call> inside a value is just text\n";
        String text = "<tool_call>\n<function=Write>\n<parameter=file_path>\n/src/X.java\n</parameter>\n"
                + "<parameter=content>\n" + content + "\n</parameter>\n</function>\n</tool_call>";
        assertSplitInvariant(QWEN, WRITE_AND_READ, text, List.of(new Call("Write", null,
                "{\"file_path\":\"/src/X.java\",\"content\":" + JsonText.quote(content) + "}")));
    }

    @Test
    void onlyOneNewlineOnEachSideOfAValueIsTheFormats() {
        String text = "<function=Write>\n<parameter=file_path>/x</parameter>\n<parameter=content>\n\n  indented\n\n"
                + "</parameter>\n</function>";
        assertSplitInvariant(QWEN, WRITE_AND_READ, text, List.of(
                new Call("Write", null, "{\"file_path\":\"/x\",\"content\":\"\\n  indented\\n\"}")));
    }

    @Test
    void aCallWithoutTheToolCallWrapperIsACall() {
        String text = "Reading.\n<function=Read>\n<parameter=file_path>\n/a\n</parameter>\n</function>\nDone.";
        assertSplitInvariant(QWEN, WRITE_AND_READ, text, List.of(new Text("Reading."),
                new Call("Read", null, "{\"file_path\":\"/a\"}"), new Text("Done.")));
    }

    @Test
    void aCallWithNoParametersHasAnEmptyObject() {
        assertSplitInvariant(QWEN, tools("Ping"), "<tool_call>\n<function=Ping>\n</function>\n</tool_call>",
                List.of(new Call("Ping", null, "{}")));
    }

    @Test
    void aMissingClosingToolCallTagIsForgivenAtTheEnd() {
        String text = WRITE_CALL.substring(0, WRITE_CALL.length() - "</tool_call>".length() + 3); // ends in "</t"
        assertSplitInvariant(QWEN, WRITE_AND_READ, text, List.of(
                new Call("Write", null, "{\"file_path\":\"/tmp/hello.txt\",\"content\":\"hello world\"}")));
    }

    @Test
    void textInsteadOfTheClosingToolCallTagFollowsTheCall() {
        String text = WRITE_CALL.replace("</tool_call>", "All done.");
        assertSplitInvariant(QWEN, WRITE_AND_READ, text, List.of(
                new Call("Write", null, "{\"file_path\":\"/tmp/hello.txt\",\"content\":\"hello world\"}"),
                new Text("All done.")));
    }

    @Test
    void aCallCutOffInsideAParameterKeepsTheParametersReadAndDropsTheUnfinishedOne() {
        // the answer ran into max_tokens: the tool_use went out already, so it is closed (as Anthropic's own is)
        String text = "Writing it.\n<tool_call>\n<function=Write>\n<parameter=file_path>\n/tmp/x\n</parameter>\n"
                + "<parameter=content>\nhalf of the conte";
        assertSplitInvariant(QWEN, WRITE_AND_READ, text, List.of(new Text("Writing it."),
                new Call("Write", null, "{\"file_path\":\"/tmp/x\"}")));
    }

    @Test
    void aCallCutBeforeItsFunctionEndKeepsEveryParameter() {
        String text = WRITE_CALL.substring(0, WRITE_CALL.indexOf("</function>"));
        assertSplitInvariant(QWEN, WRITE_AND_READ, text, List.of(
                new Call("Write", null, "{\"file_path\":\"/tmp/hello.txt\",\"content\":\"hello world\"}")));
    }

    @Test
    void aCallCutRightAfterItsNameHasAnEmptyObject() {
        assertSplitInvariant(QWEN, WRITE_AND_READ, "<tool_call>\n<function=Read>\n<param",
                List.of(new Call("Read", null, "{}")));
    }

    @Test
    void proseWhereATagShouldBeClosesTheCallAndStaysText() {
        String text = "<function=Read>\n<parameter=file_path>/a</parameter>\nThen I will <b>edit</b> it.";
        assertSplitInvariant(QWEN, WRITE_AND_READ, text, List.of(
                new Call("Read", null, "{\"file_path\":\"/a\"}"), new Text("Then I will <b>edit</b> it.")));
    }

    @Test
    void aParameterNamedTwiceKeepsItsFirstValue() {
        String text = "<function=Read>\n<parameter=file_path>/a</parameter>\n<parameter=file_path>/b</parameter>\n"
                + "</function>";
        assertSplitInvariant(QWEN, WRITE_AND_READ, text, List.of(new Call("Read", null, "{\"file_path\":\"/a\"}")));
    }

    @Test
    void theCallStartsOnceItsNameIsReadAndEachParameterGoesOutAsItCloses() {
        var events = new java.util.ArrayList<String>();
        var scanner = new TextToolCallScanner(QWEN, WRITE_AND_READ);
        TextToolCallScanner.Output out = new TextToolCallScanner.Output() {
            @Override
            public void text(String text) {
                if (!text.isEmpty()) {
                    events.add("text " + text);
                }
            }

            @Override
            public void callStart(String tool, String upstreamId) {
                events.add("start " + tool);
            }

            @Override
            public void callInput(String json) {
                events.add("input " + json);
            }

            @Override
            public void callEnd() {
                events.add("end");
            }
        };
        var seen = new java.util.ArrayList<List<String>>();
        for (String piece : List.of("Reading.\n<tool_call>\n<function=Re", "ad>\n<parameter=file_path>\n/a",
                "\n</parameter>\n<parameter=limit>\n20\n</para", "meter>\n</function>\n</tool_call>")) {
            scanner.feed(piece, out);
            seen.add(List.copyOf(events));
            events.clear();
        }
        scanner.finish(out);
        assertEquals(List.of(
                List.of("text Reading."),
                List.of("start Read"),
                List.of("input {\"file_path\":\"/a\""),
                List.of("input ,\"limit\":20", "input }", "end")), seen);
        assertEquals(List.of(), events, "nothing was left for the end");
    }

    @Test
    void aCallToAToolTheRequestDidNotDeclareStaysText() {
        String text = "<tool_call>\n<function=rm_rf>\n<parameter=path>\n/\n</parameter>\n</function>\n</tool_call>";
        assertSplitInvariant(QWEN, WRITE_AND_READ, text, List.of(new Text(text)));
    }

    @Test
    void talkingAboutTheTagsIsText() {
        String text = "Qwen wraps calls in <tool_call> tags and names them with <function=NAME>, like <b>this</b>.";
        assertSplitInvariant(QWEN, WRITE_AND_READ, text, List.of(new Text(text)));
    }

    @Test
    void aMalformedCallDoesNotHideAGoodOneAfterIt() {
        String text = "<tool_call>oops</tool_call>\n" + WRITE_CALL;
        assertSplitInvariant(QWEN, WRITE_AND_READ, text, List.of(new Text("<tool_call>oops</tool_call>"),
                new Call("Write", null, "{\"file_path\":\"/tmp/hello.txt\",\"content\":\"hello world\"}")));
    }

    @Test
    void withoutToolsNothingIsHeldOrChanged() {
        String text = "A " + WRITE_CALL + " \n";
        assertSplitInvariant(QWEN, new ToolCatalog(Map.of()), text, List.of(new Text(text)));
    }

    @Test
    void plainTextWithWhitespaceComesOutExactly() {
        String text = "  Line one.\n\n  Line two <b>bold</b> a<b \n\t";
        assertSplitInvariant(QWEN, WRITE_AND_READ, text, List.of(new Text(text)));
    }

    @Test
    void aLongRunOfWhitespaceIsNotHeldBackWhole() {
        var out = new java.util.ArrayList<String>();
        var scanner = new TextToolCallScanner(QWEN, WRITE_AND_READ);
        TextToolCallScanner.Output sink = new TextToolCallScanner.Output() {
            @Override
            public void text(String text) {
                out.add(text);
            }

            @Override
            public void callStart(String tool, String upstreamId) {
                throw new AssertionError(tool);
            }

            @Override
            public void callInput(String json) {
                throw new AssertionError(json);
            }

            @Override
            public void callEnd() {
                throw new AssertionError("callEnd");
            }
        };
        for (int i = 0; i < 10_000; i++) {
            scanner.feed("\n", sink);
        }
        int sent = out.stream().mapToInt(String::length).sum();
        assertEquals(10_000 - TextToolCallScanner.MAX_HELD_WHITESPACE, sent);
        scanner.finish(sink);
        assertEquals(10_000, out.stream().mapToInt(String::length).sum());
    }

    @Test
    void parametersAreTypedByTheToolSchema() {
        var tool = new ToolCatalog(Map.of("Configure", Map.of("type", "object", "properties", Map.of(
                "count", Map.of("type", "integer"),
                "ratio", Map.of("type", "number"),
                "dry_run", Map.of("type", "boolean"),
                "tags", Map.of("type", "array", "items", Scans.STRING),
                "options", Map.of("type", "object"),
                "name", Map.of("type", "string"),
                "maybe", Map.of("type", List.of("integer", "null")),
                "bad_count", Map.of("type", "integer")))));
        String text = "<function=Configure>\n"
                + "<parameter=count>\n 42 \n</parameter>\n"
                + "<parameter=ratio>\n0.25\n</parameter>\n"
                + "<parameter=dry_run>\nTrue\n</parameter>\n"
                + "<parameter=tags>\n[\"a\", \"b<c\"]\n</parameter>\n"
                + "<parameter=options>\n{\"deep\": {\"x\": [1, 2]}}\n</parameter>\n"
                + "<parameter=name>\n007\n</parameter>\n"
                + "<parameter=maybe>\nnull\n</parameter>\n"
                + "<parameter=bad_count>\nmany\n</parameter>\n"
                + "<parameter=undocumented>\n12\n</parameter>\n"
                + "</function>";
        assertSplitInvariant(QWEN, tool, text, List.of(new Call("Configure", null, "{\"count\":42,\"ratio\":0.25,"
                + "\"dry_run\":true,\"tags\":[\"a\", \"b<c\"],\"options\":{\"deep\": {\"x\": [1, 2]}},\"name\":\"007\","
                + "\"maybe\":null,\"bad_count\":\"many\",\"undocumented\":\"12\"}")));
    }
}
