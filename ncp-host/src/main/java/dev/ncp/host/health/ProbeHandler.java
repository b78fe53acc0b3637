package dev.ncp.host.health;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /healthz} (liveness: this process serves requests) and {@code GET /readyz} (readiness: storage usable and
 * the upstream reachable, else 503 with the reason), for supervisors and Kubernetes probes. Both answer without a
 * credential, so they say nothing beyond that: no version, engine, host or plugin ({@code /health} has those, for
 * whoever holds a key).
 */
public final class ProbeHandler {

    private final Readiness readiness;

    public ProbeHandler(Readiness readiness) {
        this.readiness = readiness;
    }

    public void live(Context ctx) {
        ctx.status(200).json(Map.of("status", "ok"));
    }

    public void ready(Context ctx) {
        Readiness.Verdict verdict = readiness.verdict();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", verdict.ready() ? "ready" : "not_ready");
        verdict.problem().ifPresent(reason -> body.put("reason", reason));
        ctx.status(verdict.ready() ? 200 : 503).json(body);
    }
}
