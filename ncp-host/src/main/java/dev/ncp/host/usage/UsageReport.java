package dev.ncp.host.usage;

import dev.ncp.host.usage.UsageQuery.Dimension;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the buckets a {@link UsageQuery} covers and groups them into rows. Whole hours inside the range are read
 * from the hour buckets, the ragged ends from the minute buckets (a bucket counts when it starts inside the range).
 */
public final class UsageReport {

    private final UsageStore store;

    public UsageReport(UsageStore store) {
        this.store = store;
    }

    /** One row of a report: the values of the grouped dimensions and the sums. */
    public record Row(Map<Dimension, String> group, UsageTotals totals) {
    }

    public List<Row> rows(UsageQuery query, Instant now) {
        // Nothing older than the retention is kept: no need to ask the store for it.
        Instant oldest = Granularity.MINUTE.start(Granularity.MINUTE.index(now.minus(store.retention())));
        Instant t = ceilMinute(query.from().isBefore(oldest) ? oldest : query.from());
        Map<Map<Dimension, String>, UsageTotals> groups = new LinkedHashMap<>();
        while (t.isBefore(query.to())) {
            boolean wholeHour = t.getEpochSecond() % 3600 == 0 && !t.plus(Duration.ofHours(1)).isAfter(query.to());
            Granularity g = wholeHour ? Granularity.HOUR : Granularity.MINUTE;
            Instant bucketStart = t;
            store.read(g, g.index(t)).forEach((key, totals) -> {
                if (query.principal() == null || query.principal().equals(key.principal())) {
                    groups.merge(group(query.groupBy(), key, bucketStart), totals, UsageTotals::plus);
                }
            });
            t = t.plus(g.length());
        }
        List<Row> rows = new ArrayList<>();
        groups.forEach((group, totals) -> rows.add(new Row(group, totals)));
        rows.sort(Comparator.<Row, String>comparing(r -> time(r.group()))
                .thenComparing(r -> -r.totals().requests())
                .thenComparing(r -> r.group().toString()));
        return rows;
    }

    private static Instant ceilMinute(Instant at) {
        Instant floor = at.truncatedTo(ChronoUnit.MINUTES);
        return floor.equals(at) ? at : floor.plus(Duration.ofMinutes(1));
    }

    private static String time(Map<Dimension, String> group) {
        return group.getOrDefault(Dimension.DAY, group.getOrDefault(Dimension.HOUR, ""));
    }

    private static Map<Dimension, String> group(List<Dimension> by, UsageKey key, Instant bucketStart) {
        Map<Dimension, String> group = new LinkedHashMap<>();
        for (Dimension d : by) {
            group.put(d, switch (d) {
                case PRINCIPAL -> key.principal();
                case MODEL -> key.model();
                case UPSTREAM -> key.upstream();
                case OUTCOME -> key.outcome();
                case DAY -> bucketStart.atZone(ZoneOffset.UTC).toLocalDate().toString();
                case HOUR -> bucketStart.truncatedTo(ChronoUnit.HOURS).toString();
            });
        }
        return group;
    }
}
