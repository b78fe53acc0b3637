package dev.ncp.host.usage;

import dev.ncp.host.observe.RequestSummary;

/**
 * The sums one usage row holds. Only sums (never averages) are stored, so rows of many instances and many buckets
 * add up exactly; averages are worked out when a report is read.
 *
 * @param firstTokenCount the requests that had a first token: the divisor of {@code firstTokenMillis}
 */
public record UsageTotals(long requests, long inputTokens, long outputTokens, long cacheReadInputTokens,
                          long cacheCreationInputTokens, long errors, long latencyMillis, long firstTokenMillis,
                          long firstTokenCount) {

    public static final UsageTotals ZERO = new UsageTotals(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** One finished request's share. */
    public static UsageTotals of(RequestSummary s) {
        return new UsageTotals(1, s.inputTokens(), s.outputTokens(), s.cacheReadTokens(), s.cacheCreationTokens(),
                s.outcome().equals("error") ? 1 : 0, s.durationMillis(),
                s.ttftMillis() == null ? 0 : s.ttftMillis(), s.ttftMillis() == null ? 0 : 1);
    }

    public UsageTotals plus(UsageTotals o) {
        return new UsageTotals(requests + o.requests, inputTokens + o.inputTokens, outputTokens + o.outputTokens,
                cacheReadInputTokens + o.cacheReadInputTokens,
                cacheCreationInputTokens + o.cacheCreationInputTokens, errors + o.errors,
                latencyMillis + o.latencyMillis, firstTokenMillis + o.firstTokenMillis,
                firstTokenCount + o.firstTokenCount);
    }

    long[] toArray() {
        return new long[] {requests, inputTokens, outputTokens, cacheReadInputTokens, cacheCreationInputTokens,
                errors, latencyMillis, firstTokenMillis, firstTokenCount};
    }

    static UsageTotals fromArray(long[] v) {
        return new UsageTotals(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
    }

    static final int FIELDS = 9;
}
