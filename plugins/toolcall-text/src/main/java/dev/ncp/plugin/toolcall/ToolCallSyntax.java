package dev.ncp.plugin.toolcall;

import java.util.List;

/**
 * One way models write tool calls as text: the markers that open a call, the special tokens that never belong in
 * text, and a reader for the call itself. Implementations are stateless; readers hold one call's state.
 */
interface ToolCallSyntax {

    /** Markers that may open a call, e.g. {@code <tool_call>}. */
    List<String> callStarts();

    /** Tokens removed wherever they appear in text, e.g. Kimi's {@code <|im_end|>}; they never reach the client. */
    List<String> strayTokens();

    /**
     * Whether {@code start} is a special token rather than text a person could write: a start that turns out not
     * to open a call is then dropped instead of being given back as text.
     */
    boolean startIsToken(String start);

    /** A reader for one call opened by {@code start}, recovering only calls of {@code tools}. */
    CallReader reader(String start, ToolCatalog tools);
}
