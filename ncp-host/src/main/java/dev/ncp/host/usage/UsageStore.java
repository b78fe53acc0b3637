package dev.ncp.host.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Usage buckets in the {@link Storage}, shared by every instance on the same store.
 *
 * <p>The store offers no "add n to a field", so instances never write the same key: each instance keeps its own
 * running sums of a bucket and writes them, whole, into a slot of that bucket it claimed for itself
 * ({@code usage:m:<minute>:<slot>}), and a reader adds up the slots. A slot is claimed with {@code putIfAbsent},
 * trying 1, 2, 3… in turn, so the claim and the first sums land in one atomic step and the slots of a bucket stay
 * dense: a reader stops at the first absent one. Every slot of a bucket expires at the same moment (the bucket's end
 * plus the retention), so a bucket never has a hole either.
 */
public final class UsageStore {

    static final String PREFIX = "usage:";
    /** Far more instances than a fleet has; a safety stop for readers and writers alike. */
    static final int MAX_SLOTS = 1_000;
    private static final int VERSION = 1;

    private final Storage storage;
    private final ObjectMapper json;
    private final Duration retention;

    public UsageStore(Storage storage, ObjectMapper json, Duration retention) {
        this.storage = storage;
        this.json = json;
        this.retention = retention;
    }

    public Duration retention() {
        return retention;
    }

    /**
     * Writes this instance's sums of one bucket into its slot, claiming a slot first when {@code slot} is 0.
     *
     * @return the slot written, or 0 when the bucket is already past the retention (nothing written)
     */
    int write(Granularity granularity, long index, int slot, Map<UsageKey, UsageTotals> rows, Instant now) {
        Instant expires = granularity.start(index).plus(granularity.length()).plus(retention);
        Duration ttl = Duration.between(now, expires);
        if (ttl.isNegative() || ttl.isZero()) {
            return 0;
        }
        String value = encode(rows);
        if (slot > 0) {
            storage.put(key(granularity, index, slot), value, ttl);
            return slot;
        }
        for (int s = 1; s <= MAX_SLOTS; s++) {
            if (storage.putIfAbsent(key(granularity, index, s), value, ttl)) {
                return s;
            }
        }
        throw new StorageException("usage bucket " + key(granularity, index, 0) + " has " + MAX_SLOTS
                + " writers already; its sums were not stored");
    }

    /** Every instance's sums of one bucket, added up. */
    Map<UsageKey, UsageTotals> read(Granularity granularity, long index) {
        Map<UsageKey, UsageTotals> sums = new HashMap<>();
        for (int s = 1; s <= MAX_SLOTS; s++) {
            var value = storage.get(key(granularity, index, s));
            if (value.isEmpty()) {
                break;
            }
            decode(value.get()).forEach((k, t) -> sums.merge(k, t, UsageTotals::plus));
        }
        return sums;
    }

    static String key(Granularity granularity, long index, int slot) {
        return PREFIX + granularity.tag() + ":" + index + ":" + slot;
    }

    /** {@code {"v":1,"rows":[[principal, model, upstream, outcome, requests, input, output, …], …]}}. */
    private String encode(Map<UsageKey, UsageTotals> rows) {
        ObjectNode root = json.createObjectNode().put("v", VERSION);
        ArrayNode list = root.putArray("rows");
        rows.forEach((k, t) -> {
            ArrayNode row = list.addArray().add(k.principal()).add(k.model()).add(k.upstream()).add(k.outcome());
            for (long v : t.toArray()) {
                row.add(v);
            }
        });
        try {
            return json.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("usage rows are plain JSON", e);
        }
    }

    private Map<UsageKey, UsageTotals> decode(String value) {
        Map<UsageKey, UsageTotals> rows = new HashMap<>();
        try {
            for (JsonNode row : json.readTree(value).path("rows")) {
                var key = new UsageKey(row.path(0).asText(), row.path(1).asText(), row.path(2).asText(),
                        row.path(3).asText());
                long[] v = new long[UsageTotals.FIELDS];
                for (int i = 0; i < v.length; i++) {
                    v[i] = row.path(4 + i).asLong();
                }
                rows.merge(key, UsageTotals.fromArray(v), UsageTotals::plus);
            }
        } catch (JsonProcessingException e) {
            // A value written by a newer or broken writer: counted as nothing rather than failing every report.
            return Map.of();
        }
        return rows;
    }
}
