package dev.ncp.host.response;

import java.util.OptionalInt;

/**
 * The numbers of an upstream's context-length refusal.
 *
 * @param requestedTokens what the upstream counted: input plus max_tokens (vLLM's "you requested N tokens"), or the
 *                        input alone ("The input (N tokens) is longer...")
 * @param contextWindow   the model's context length as the upstream states it
 * @param inputTokens     the input alone, when the upstream says it ("N in the messages", or the input wording)
 */
public record ContextOverflow(int requestedTokens, int contextWindow, OptionalInt inputTokens) {

    /**
     * The input's size: as stated, else what was requested minus the {@code max_tokens} that was sent.
     */
    public int inputTokens(int sentMaxTokens) {
        return inputTokens.orElse(Math.max(0, requestedTokens - sentMaxTokens));
    }
}
