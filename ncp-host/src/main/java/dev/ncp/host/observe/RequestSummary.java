package dev.ncp.host.observe;

/**
 * One finished request as the access log and the metrics see it. Unknown values are {@code "-"} (strings) or
 * null (ttft), e.g. for requests that are not Messages API calls or failed before the model was resolved.
 *
 * @param upstream    the upstream the last attempt went to ({@code default} or a named one); {@code "-"} for none
 * @param status      the HTTP status; for an answer that ended in an error event, that error's status; 499 when
 *                    the client left before the answer was finished
 * @param outcome     {@code ok}, {@code error} or {@code client_gone}
 * @param ttftMillis  time from the request's arrival to the first content event, or null when there was none
 * @param cacheReadTokens     input tokens read from the upstream's prompt cache (usage accounting)
 * @param cacheCreationTokens input tokens written to it
 */
public record RequestSummary(
        String requestId,
        String principal,
        String method,
        String path,
        String requestedModel,
        String model,
        String upstream,
        String route,
        int status,
        String outcome,
        String stopReason,
        Long ttftMillis,
        long durationMillis,
        int inputTokens,
        int outputTokens,
        int cacheReadTokens,
        int cacheCreationTokens) {

    /** A summary with no cache figures (requests that never reached the upstream, the access log's tests). */
    public RequestSummary(String requestId, String principal, String method, String path, String requestedModel,
                          String model, String upstream, String route, int status, String outcome, String stopReason,
                          Long ttftMillis, long durationMillis, int inputTokens, int outputTokens) {
        this(requestId, principal, method, path, requestedModel, model, upstream, route, status, outcome, stopReason,
                ttftMillis, durationMillis, inputTokens, outputTokens, 0, 0);
    }

    /** Whether this was a Messages API call (the requests the metrics count). */
    public boolean answered() {
        return path.equals("/v1/messages");
    }
}
