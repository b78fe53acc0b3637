package dev.ncp.host.usage;

import dev.ncp.api.auth.Principal;
import dev.ncp.api.error.ErrorType;
import dev.ncp.api.storage.StorageException;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.exchange.Exchange;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/ncp/usage?from=&to=&group_by=}: requests, tokens, errors and latencies per principal, model,
 * upstream, outcome, day or hour. Operators see every principal's rows; anyone else only their own.
 */
public final class UsageHandler {

    /** How long a report waits for this instance's latest records to be written before reading. */
    private static final Duration OWN_WRITES_WAIT = Duration.ofSeconds(2);

    private final UsageRecorder recorder;
    private final UsageReport report;
    private final Clock clock;

    public UsageHandler(UsageRecorder recorder, UsageReport report, Clock clock) {
        this.recorder = recorder;
        this.report = report;
        this.clock = clock;
    }

    public void handle(Context ctx) {
        ctx.json(report(Exchange.of(ctx).principal(), ctx.queryParam("from"), ctx.queryParam("to"),
                ctx.queryParam("group_by")));
    }

    /**
     * The report {@code who} asks for with these parameters (each null for its default): the endpoint's body, also
     * what the dashboard's usage view shows.
     */
    public Map<String, Object> report(Principal who, String from, String to, String groupBy) {
        Instant now = clock.instant();
        UsageQuery query = UsageQuery.parse(from, to, groupBy, now, who.operator() ? null : who.id());
        recorder.flush(OWN_WRITES_WAIT);
        List<UsageReport.Row> rows;
        try {
            rows = report.rows(query, now);
        } catch (StorageException e) {
            throw new ApiError(ErrorType.API, 503, "Usage is unavailable: the storage engine failed ("
                    + e.getMessage() + ").", Map.of());
        }
        List<Map<String, Object>> data = new ArrayList<>();
        for (UsageReport.Row row : rows) {
            data.add(json(row));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", data);
        body.put("from", query.from().toString());
        body.put("to", query.to().toString());
        body.put("group_by", query.groupBy().stream().map(UsageQuery.Dimension::wireName).toList());
        return body;
    }

    private static Map<String, Object> json(UsageReport.Row row) {
        Map<String, Object> out = new LinkedHashMap<>();
        row.group().forEach((d, v) -> out.put(d.wireName(), v));
        UsageTotals t = row.totals();
        out.put("requests", t.requests());
        out.put("input_tokens", t.inputTokens());
        out.put("output_tokens", t.outputTokens());
        out.put("cache_read_input_tokens", t.cacheReadInputTokens());
        out.put("cache_creation_input_tokens", t.cacheCreationInputTokens());
        out.put("errors", t.errors());
        out.put("latency_ms_sum", t.latencyMillis());
        out.put("avg_latency_ms", t.requests() == 0 ? null : t.latencyMillis() / t.requests());
        out.put("first_token_ms_sum", t.firstTokenMillis());
        out.put("first_token_requests", t.firstTokenCount());
        out.put("avg_first_token_ms", t.firstTokenCount() == 0 ? null : t.firstTokenMillis() / t.firstTokenCount());
        return out;
    }
}
