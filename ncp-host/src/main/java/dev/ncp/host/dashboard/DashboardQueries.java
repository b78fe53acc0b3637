package dev.ncp.host.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.auth.Principal;
import dev.ncp.api.storage.StorageException;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.sessions.SessionStore;
import dev.ncp.host.usage.UsageHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a dashboard asks over its websocket, answered as the HTTP endpoints answer it — the usage report of
 * {@code GET /v1/ncp/usage} and the sessions of {@code GET /v1/ncp/sessions} — for the principal the socket was
 * opened by (operators see everyone's usage; sessions are each principal's own). Asked over the socket because the
 * page has no credential for plain GETs when ncp needs a key: its token opens only the dashboard's own paths.
 *
 * <p>{@code {"type":"usage_report","range":"hour|day|week","group_by":"model"}} → {@code {"type":"usage_report",
 * "range":…,"report":{…the endpoint's body…}}}; {@code {"type":"session_list"}} → {@code {"type":"session_list",
 * "data":[…]}}. (Types of their own: the bus's events have a {@code usage} already.)
 */
public final class DashboardQueries {

    private static final Map<String, Duration> RANGES = Map.of("hour", Duration.ofHours(1),
            "day", Duration.ofDays(1), "week", Duration.ofDays(7));
    private static final int SESSIONS = 20;

    private final UsageHandler usage;
    private final SessionStore sessions;
    private final ObjectMapper json;
    private final Clock clock;

    public DashboardQueries(UsageHandler usage, SessionStore sessions, ObjectMapper json, Clock clock) {
        this.usage = usage;
        this.sessions = sessions;
        this.json = json;
        this.clock = clock;
    }

    /** The answer to one message, or empty for a message that asks nothing this socket answers. */
    public Optional<String> answer(String message, Principal who) {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            JsonNode asked = json.readTree(message);
            String type = asked.path("type").asText();
            out.put("type", type);
            switch (type) {
                case "usage_report" -> {
                    String range = asked.path("range").asText("day");
                    Duration length = RANGES.getOrDefault(range, Duration.ofDays(1));
                    Instant now = clock.instant();
                    out.put("range", RANGES.containsKey(range) ? range : "day");
                    out.put("report", usage.report(who, now.minus(length).toString(), now.toString(),
                            asked.path("group_by").asText("model")));
                }
                case "session_list" -> out.put("data", sessions.recent(who.id(), SESSIONS));
                default -> {
                    return Optional.empty();
                }
            }
        } catch (JsonProcessingException e) {
            return Optional.empty();
        } catch (ApiError | StorageException e) {
            out.put("error", e.getMessage());
        }
        try {
            return Optional.of(json.writeValueAsString(out));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("dashboard answers are plain JSON", e);
        }
    }
}
