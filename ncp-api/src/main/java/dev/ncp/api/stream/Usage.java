package dev.ncp.api.stream;

/** Token counts of one answer, Anthropic-style: input excludes cache reads. */
public record Usage(int inputTokens, int outputTokens, int cacheReadInputTokens, int cacheCreationInputTokens) {

    public static final Usage ZERO = new Usage(0, 0, 0, 0);

    public Usage withOutputTokens(int value) {
        return new Usage(inputTokens, value, cacheReadInputTokens, cacheCreationInputTokens);
    }
}
