package dev.ncp.host.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The state the dashboard shows beside the event stream — the bus's settings and counters (as
 * {@code GET /v1/stream/visualization} reports them) and the circuit breakers (as {@code GET /health} does) — as
 * one websocket message of type {@code status}. Pushed over the socket rather than fetched by the page: the socket
 * was authenticated once at its upgrade, while a browser page has no credential for plain GETs when
 * {@code PROXY_API_KEY} is set (its dashboard token is short-lived and opens only the dashboard's own paths).
 */
public final class DashboardStatus implements Supplier<String> {

    private final ObjectMapper json;
    private final Clock clock;
    private final Supplier<Map<String, Object>> visualization;
    private final Supplier<? extends Map<String, ?>> breakers;
    private final Supplier<? extends Map<String, ?>> upstreams;

    public DashboardStatus(ObjectMapper json, Clock clock, Supplier<Map<String, Object>> visualization,
                           Supplier<? extends Map<String, ?>> breakers) {
        this(json, clock, visualization, breakers, Map::of);
    }

    /** @param upstreams the upstream limits' gauge per upstream name ({@code UpstreamGate.snapshot()}) */
    public DashboardStatus(ObjectMapper json, Clock clock, Supplier<Map<String, Object>> visualization,
                           Supplier<? extends Map<String, ?>> breakers, Supplier<? extends Map<String, ?>> upstreams) {
        this.json = json;
        this.clock = clock;
        this.visualization = visualization;
        this.breakers = breakers;
        this.upstreams = upstreams;
    }

    /**
     * An operator's status: {@code {"type":"status","at":…,"scope":"all","visualization":{…},
     * "breakers":{"<model>":{"state":"closed",…}}}}.
     */
    @Override
    public String get() {
        Map<String, Object> status = header("all");
        status.put("visualization", visualization.get());
        status.put("breakers", breakers.get());
        status.put("upstreams", upstreams.get());
        return write(status);
    }

    /**
     * Everyone else's: {@code {"type":"status","at":…,"scope":"own"}}. The bus counters and breakers sum up every
     * principal's traffic, so only operators get them; the page says so instead of showing them.
     */
    public String ownScope() {
        return write(header("own"));
    }

    private Map<String, Object> header(String scope) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("type", "status");
        status.put("at", clock.millis());
        status.put("scope", scope);
        return status;
    }

    private String write(Map<String, Object> status) {
        try {
            return json.writeValueAsString(status);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
