package dev.ncp.host.tokens;

import dev.ncp.host.anthropic.MessagesRequest;

/**
 * {@code POST /v1/messages/count_tokens}: the input tokens of a parsed request, by the same {@link TokenEstimator}
 * that fills {@code message_start}, so a client's budget checks and the stream's usage agree. Counting needs no
 * model: tools NIM cannot run (server tools) are still counted rather than refused.
 */
public final class CountTokensService {

    private final TokenEstimator estimator;

    public CountTokensService(TokenEstimator estimator) {
        this.estimator = estimator;
    }

    /** The {@code input_tokens} to answer with. */
    public int countTokens(MessagesRequest request) {
        return estimator.estimate(request);
    }
}
