package dev.ncp.host.usage;

import dev.ncp.host.error.ApiError;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One usage report asked for: the time range {@code [from, to)} and the dimensions rows are grouped by.
 *
 * @param principal only this principal's rows, or null for everyone's (operators)
 */
public record UsageQuery(Instant from, Instant to, List<Dimension> groupBy, String principal) {

    /** The default range: the last 24 hours. */
    static final Duration DEFAULT_RANGE = Duration.ofHours(24);

    /** What rows can be grouped by ({@code group_by=}). */
    public enum Dimension {
        PRINCIPAL, MODEL, UPSTREAM, OUTCOME, DAY, HOUR;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public UsageQuery {
        groupBy = List.copyOf(groupBy);
    }

    /**
     * The query of {@code ?from=&to=&group_by=}; bad values are 400s that say what is accepted.
     *
     * @param from ISO-8601 instant, offset date-time or date (midnight UTC), or null for 24 h before {@code to}
     * @param to   likewise, or null for now
     */
    public static UsageQuery parse(String from, String to, String groupBy, Instant now, String principal) {
        Instant end = to == null ? now : instant("to", to);
        Instant start = from == null ? end.minus(DEFAULT_RANGE) : instant("from", from);
        if (!start.isBefore(end)) {
            throw ApiError.invalidRequest("from must be before to (got from=" + start + ", to=" + end + ").");
        }
        return new UsageQuery(start, end, dimensions(groupBy), principal);
    }

    private static Instant instant(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException notAnOffset) {
                try {
                    return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException notADate) {
                    throw ApiError.invalidRequest(name + " must be an ISO-8601 time such as 2026-01-31T09:00:00Z or a "
                            + "date such as 2026-01-31 (got \"" + value + "\").");
                }
            }
        }
    }

    private static List<Dimension> dimensions(String groupBy) {
        if (groupBy == null || groupBy.isBlank()) {
            return List.of();
        }
        Set<Dimension> dims = new LinkedHashSet<>();
        for (String part : groupBy.split(",")) {
            String name = part.trim().toLowerCase(Locale.ROOT);
            Dimension dim = null;
            for (Dimension d : Dimension.values()) {
                if (d.wireName().equals(name)) {
                    dim = d;
                }
            }
            if (dim == null) {
                List<String> names = new ArrayList<>();
                for (Dimension d : Dimension.values()) {
                    names.add(d.wireName());
                }
                throw ApiError.invalidRequest("group_by takes a comma-separated list of " + String.join(", ", names)
                        + " (got \"" + part.trim() + "\").");
            }
            dims.add(dim);
        }
        if (dims.contains(Dimension.DAY) && dims.contains(Dimension.HOUR)) {
            throw ApiError.invalidRequest("group_by takes day or hour, not both.");
        }
        return List.copyOf(dims);
    }
}
