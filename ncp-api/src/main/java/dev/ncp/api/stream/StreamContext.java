package dev.ncp.api.stream;

import dev.ncp.api.model.ShapingContext;

/**
 * What processors know about the answer they process.
 */
public interface StreamContext {

    /** The request as the adapter saw it: model, thinking setting, tool schemas, stop sequences. */
    ShapingContext request();

    /** A fresh block key, unique within this answer, for processors that open new blocks. */
    int newBlockKey();

    /** A fresh Anthropic tool-use id ({@code toolu_...}) for tool calls a processor recovers from text. */
    String newToolUseId();
}
