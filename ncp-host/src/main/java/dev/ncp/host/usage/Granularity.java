package dev.ncp.host.usage;

import java.time.Duration;
import java.time.Instant;

/**
 * The two bucket sizes usage is stored in. Every request is added to its minute and to its hour: a report over a
 * week reads 168 hour buckets instead of 10,080 minute buckets, and minutes only at the ragged ends of a range.
 */
enum Granularity {
    MINUTE("m", Duration.ofMinutes(1)),
    HOUR("h", Duration.ofHours(1));

    private final String tag;
    private final Duration length;

    Granularity(String tag, Duration length) {
        this.tag = tag;
        this.length = length;
    }

    Duration length() {
        return length;
    }

    /** The index of the bucket {@code at} falls in (buckets since the epoch). */
    long index(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), length.toSeconds());
    }

    Instant start(long index) {
        return Instant.ofEpochSecond(index * length.toSeconds());
    }

    String tag() {
        return tag;
    }
}
