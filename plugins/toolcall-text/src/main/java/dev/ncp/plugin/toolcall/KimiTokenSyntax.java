package dev.ncp.plugin.toolcall;

import java.util.List;

/**
 * Kimi K2's tool-call section, when it reaches the content as text instead of being parsed by the server:
 * <pre>
 * &lt;|tool_calls_section_begin|&gt;
 * &lt;|tool_call_begin|&gt;functions.Read:0&lt;|tool_call_argument_begin|&gt;{"file_path": "/a"}&lt;|tool_call_end|&gt;
 * &lt;|tool_calls_section_end|&gt;
 * </pre>
 * Each {@code <|tool_call_begin|>} opens one call: its id ({@code functions.NAME:INDEX}, the id Kimi wants back in
 * history), then the arguments as JSON. The section markers and other special tokens that leak into text
 * ({@code <|im_end|>}...) are removed; a call that does not parse has its tokens removed and its text kept.
 */
final class KimiTokenSyntax implements ToolCallSyntax {

    static final String SECTION_BEGIN = "<|tool_calls_section_begin|>";
    static final String SECTION_END = "<|tool_calls_section_end|>";
    static final String CALL_BEGIN = "<|tool_call_begin|>";
    static final String ARGUMENT_BEGIN = "<|tool_call_argument_begin|>";
    static final String CALL_END = "<|tool_call_end|>";
    static final String IM_END = "<|im_end|>";

    @Override
    public List<String> callStarts() {
        return List.of(CALL_BEGIN);
    }

    @Override
    public List<String> strayTokens() {
        return List.of(SECTION_BEGIN, SECTION_END, ARGUMENT_BEGIN, CALL_END, IM_END);
    }

    @Override
    public boolean startIsToken(String start) {
        return true;
    }

    @Override
    public CallReader reader(String start, ToolCatalog tools) {
        return new Reader(start, tools);
    }

    /** The tool name in a Kimi call id: {@code functions.Read:0} → {@code Read}; other ids are taken as names. */
    static String toolOf(String id) {
        String name = id.startsWith("functions.") ? id.substring("functions.".length()) : id;
        int colon = name.lastIndexOf(':');
        if (colon > 0 && name.substring(colon + 1).chars().allMatch(Character::isDigit)) {
            name = name.substring(0, colon);
        }
        return name;
    }

    private static final class Reader extends CallReader {

        private static final int MAX_ID = 256;

        private final ToolCatalog tools;
        private String id;
        private int argumentsStart = -1;
        private int searchFrom;
        private String arguments;

        Reader(String start, ToolCatalog tools) {
            super(start);
            this.tools = tools;
        }

        @Override
        protected Status advance() {
            if (argumentsStart < 0) {
                int mark = raw.indexOf(ARGUMENT_BEGIN, pos);
                if (mark < 0) {
                    String head = raw.substring(pos);
                    int token = head.indexOf("<|");
                    boolean onlyPartialMark = token < 0 || ARGUMENT_BEGIN.startsWith(head.substring(token));
                    return head.length() > MAX_ID || head.strip().contains("\n") || !onlyPartialMark
                            ? Status.MALFORMED : Status.NEED_MORE;
                }
                String head = raw.substring(pos, mark);
                id = head.strip();
                if (id.isEmpty() || id.contains("\n") || id.contains("<|") || !tools.declares(toolOf(id))) {
                    return Status.MALFORMED;
                }
                argumentsStart = mark + ARGUMENT_BEGIN.length();
                searchFrom = argumentsStart;
            }
            int close = raw.indexOf(CALL_END, searchFrom);
            if (close < 0) {
                searchFrom = Math.max(argumentsStart, raw.length() - CALL_END.length() + 1);
                return Status.NEED_MORE;
            }
            String json = raw.substring(argumentsStart, close).strip();
            arguments = json.isEmpty() ? "{}" : json;
            if (!JsonText.isObject(arguments)) {
                return Status.MALFORMED;
            }
            end = close + CALL_END.length();
            return Status.COMPLETE;
        }

        @Override
        Status finish() {
            return Status.MALFORMED;
        }

        @Override
        RecoveredCall call() {
            return new RecoveredCall(toolOf(id), id, List.of(arguments));
        }
    }
}
