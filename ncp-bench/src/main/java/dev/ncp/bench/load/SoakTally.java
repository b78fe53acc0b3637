package dev.ncp.bench.load;

import dev.ncp.bench.load.SoakCall.Outcome;
import dev.ncp.bench.load.SoakCall.Verdict;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** What clients saw over one sample interval (or the whole run): verdicts, the error mix, first-delta times. */
final class SoakTally {

    private final Map<Verdict, Long> verdicts = new EnumMap<>(Verdict.class);
    private final Map<String, Long> errors = new TreeMap<>();
    private final List<Long> firstDeltas = new ArrayList<>();
    private long replays;

    synchronized void add(Outcome o) {
        verdicts.merge(o.verdict(), 1L, Long::sum);
        if (o.verdict() == Verdict.CLEAN_ERROR) {
            errors.merge(o.detail(), 1L, Long::sum);
        } else if (o.verdict() == Verdict.HANG_UP && !o.detail().equals("hang-up")) {
            errors.merge(o.detail(), 1L, Long::sum); // shown, so the classification can be checked
        }
        if (o.verdict() == Verdict.OK && o.firstDeltaNanos() >= 0) {
            firstDeltas.add(o.firstDeltaNanos());
        }
        if (o.replayed()) {
            replays++;
        }
    }

    synchronized long bad() {
        return verdicts.getOrDefault(Verdict.BAD, 0L);
    }

    synchronized long ok() {
        return verdicts.getOrDefault(Verdict.OK, 0L);
    }

    synchronized String summary() {
        return summaryMap().toString();
    }

    synchronized Map<String, Object> summaryMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Verdict v : Verdict.values()) {
            m.put(v.name().toLowerCase(java.util.Locale.ROOT), verdicts.getOrDefault(v, 0L));
        }
        m.put("idempotentReplays", replays);
        m.put("errorMix", new TreeMap<>(errors));
        Percentiles p = Percentiles.of(firstDeltas, Long::longValue);
        m.put("firstDeltaP50Ms", p.millis(50));
        m.put("firstDeltaP99Ms", p.millis(99));
        return m;
    }

    /** One sample's row: what clients saw since the last one, and ncp's gauges now. */
    synchronized Map<String, Object> row(double minute, ProcessGauges g, long heapAfterGcMb, int upstreamConnections,
                                         double cpuShare) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("minute", minute);
        r.put("requests", verdicts.values().stream().mapToLong(Long::longValue).sum());
        r.putAll(summaryMap());
        r.put("rssMb", g.rssKb() / 1024.0);
        r.put("heapAfterGcMb", heapAfterGcMb);
        r.put("threads", g.threads());
        r.put("fds", g.fds());
        r.put("upstreamConnections", upstreamConnections);
        r.put("cpuShareOfCore", cpuShare);
        return r;
    }

    static String header() {
        return String.format("%6s %6s %6s %5s %5s %4s %8s %8s %7s %7s %5s %5s %5s %5s  %s", "min", "reqs", "ok",
                "err", "hang", "BAD", "1st p50", "1st p99", "RSS MB", "heap MB", "thr", "fds", "upc", "cpu%",
                "error mix");
    }

    static String format(Map<String, Object> r) {
        @SuppressWarnings("unchecked")
        Map<String, Long> mix = (Map<String, Long>) r.get("errorMix");
        String errors = mix.entrySet().stream().map(e -> e.getKey() + "×" + e.getValue())
                .collect(Collectors.joining(", "));
        return String.format("%6.1f %6d %6d %5d %5d %4d %8.1f %8.1f %7.1f %7d %5d %5d %5d %5.1f  %s", r.get("minute"),
                r.get("requests"), r.get("ok"), r.get("clean_error"), r.get("hang_up"), r.get("bad"),
                r.get("firstDeltaP50Ms"), r.get("firstDeltaP99Ms"), r.get("rssMb"), r.get("heapAfterGcMb"),
                r.get("threads"), r.get("fds"), r.get("upstreamConnections"),
                100 * (Double) r.get("cpuShareOfCore"), errors);
    }
}
