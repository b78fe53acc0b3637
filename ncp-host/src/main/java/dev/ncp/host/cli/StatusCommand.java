package dev.ncp.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.config.Config;
import dev.ncp.host.doctor.RunningNcp;
import dev.ncp.host.http.ListenPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ncp status}: whether ncp runs at the configured address, and a one-screen summary when it does. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Say whether ncp runs, and what it is: URL, version, uptime, storage, models, requests.",
                "Asks the configured address's /health, /v1/models and /metrics."},
        footerHeading = "%nExample:%n", footer = "  ncp status --port 8788 || ncp start --port 8788",
        exitCodeListHeading = "%nExit codes (as LSB init scripts):%n",
        exitCodeList = {"0:running", "2:bad configuration", "3:not running"})
final class StatusCommand implements Callable<Integer> {

    static final int NOT_RUNNING = 3;

    @Mixin
    ConfigOptionsWithShortPort options;

    @Override
    public Integer call() {
        Config config = options.load(null, null);
        try (var proxy = new ProxyHttp(config)) {
            Optional<JsonNode> health = new RunningNcp(proxy.client(), Duration.ofSeconds(3))
                    .health(config.listenUrl(), config.proxyApiKey());
            if (health.isEmpty()) {
                System.out.println(ListenPort.isFree(config.host(), config.port())
                        ? "ncp is not running on " + config.listenUrl() + "."
                        : "Something holds " + config.listenUrl() + " but does not answer as ncp with this"
                                + " configuration's key (PROXY_API_KEY); ncp doctor says more.");
                return NOT_RUNNING;
            }
            summary(config, health.get(), proxy).forEach(System.out::println);
            return 0;
        }
    }

    private static List<String> summary(Config config, JsonNode health, ProxyHttp proxy) {
        String url = config.listenUrl();
        List<String> out = new ArrayList<>();
        String pid = PidFile.of(config).process().map(p -> "pid " + p.pid() + ", started by ncp start")
                .orElse("not started by ncp start");
        out.add("ncp " + health.path("version").asText() + " is running on " + url + " (" + pid + ")");
        out.add("  status:    " + health.path("status").asText());
        out.add("  uptime:    " + uptime(health.path("uptime_seconds").asLong()));
        JsonNode storage = health.path("storage");
        out.add("  storage:   " + (storage.isMissingNode() ? "(details need the operator key)"
                : storage.path("engine").asText() + (storage.path("healthy").asBoolean() ? ", healthy" : ", UNHEALTHY")
                        + " (" + storage.path("detail").asText() + ")"));
        out.add("  models:    " + proxy.getJson("/v1/models").map(m -> m.path("data").size() + " (ncp models lists"
                + " them)").orElse("(not listed)"));
        out.add("  requests:  " + proxy.get("/metrics").map(StatusCommand::requests)
                .orElse("(the counts need the operator key)"));
        for (JsonNode failure : health.path("plugin_failures")) {
            out.add("  plugin FAILED: " + failure.path("file").asText() + ": " + failure.path("reason").asText());
        }
        out.add("  dashboard: " + url + "/dashboard/stream   (ncp ui opens it)");
        out.add("  log:       " + PidFile.logFile(config));
        return out;
    }

    /** Messages API requests answered so far and streams open now, from the Prometheus text. */
    static String requests(String metrics) {
        double total = 0;
        double active = 0;
        for (String line : metrics.lines().toList()) {
            if (line.startsWith("ncp_requests_total")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("ncp_active_streams")) {
                active += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return String.format("%.0f answered since start, %.0f streaming now", total, active);
    }

    static String uptime(long seconds) {
        Duration d = Duration.ofSeconds(seconds);
        return d.toDaysPart() > 0 ? String.format("%dd %02dh %02dm", d.toDaysPart(), d.toHoursPart(), d.toMinutesPart())
                : String.format("%dh %02dm %02ds", d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart());
    }
}
