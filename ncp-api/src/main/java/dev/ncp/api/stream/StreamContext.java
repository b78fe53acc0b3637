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

    /**
     * The tool-use id for a call id the model wrote itself (Kimi K2's {@code functions.Read:0}): a {@code toolu_}
     * id the client accepts, which the next request turns back into {@code upstreamId} — some families insist on
     * their own id format in history. A host that cannot map ids back gives a fresh id.
     */
    default String toolUseIdFor(String upstreamId) {
        return newToolUseId();
    }

    /**
     * The client's name of a tool the model called by its upstream name. Upstream names are sanitized
     * ({@code ^[a-zA-Z0-9_-]{1,64}$}); a processor that recovers a call from text names its tool_use with this.
     */
    default String clientToolName(String upstreamName) {
        return upstreamName;
    }
}
