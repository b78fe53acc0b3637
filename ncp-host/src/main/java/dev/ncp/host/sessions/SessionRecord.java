package dev.ncp.host.sessions;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.TreeMap;

/**
 * What ncp knows of one Claude Code session, as stored (JSON) and as {@code GET /v1/ncp/sessions/{id}} returns it.
 * Times are RFC 3339 UTC; {@code models} counts requests per upstream model.
 */
public record SessionRecord(
        @JsonProperty("id") String id,
        @JsonProperty("requests") long requests,
        @JsonProperty("errors") long errors,
        @JsonProperty("input_tokens") long inputTokens,
        @JsonProperty("output_tokens") long outputTokens,
        @JsonProperty("cache_read_input_tokens") long cacheReadInputTokens,
        @JsonProperty("models") Map<String, Long> models,
        @JsonProperty("first_activity") String firstActivity,
        @JsonProperty("last_activity") String lastActivity) {

    public SessionRecord {
        models = models == null ? Map.of() : Map.copyOf(models);
    }

    static SessionRecord first(String id, String now) {
        return new SessionRecord(id, 0, 0, 0, 0, 0, Map.of(), now, now);
    }

    /** This record with one more request added. */
    SessionRecord plus(AnswerSummary answer, String now) {
        Map<String, Long> byModel = new TreeMap<>(models);
        if (answer.model() != null) {
            byModel.merge(answer.model(), 1L, Long::sum);
        }
        return new SessionRecord(id, requests + 1, errors + (answer.failed() ? 1 : 0),
                inputTokens + answer.usage().inputTokens(), outputTokens + answer.usage().outputTokens(),
                cacheReadInputTokens + answer.usage().cacheReadInputTokens(), byModel, firstActivity, now);
    }
}
