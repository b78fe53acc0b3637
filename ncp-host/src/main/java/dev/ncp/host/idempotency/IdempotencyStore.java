package dev.ncp.host.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Idempotency entries on the storage primitives: a claim is {@code putIfAbsent} (atomic across instances for the
 * shared engines), a finished answer replaces it with {@code put} and the long TTL, a failed one is deleted. Throws
 * {@link StorageException} when the engine fails; callers decide how to degrade.
 */
public final class IdempotencyStore {

    /** How long a claim outlives a crashed owner. Owners renew it every third of this while they run. */
    public static final Duration IN_FLIGHT_TTL = Duration.ofSeconds(30);

    /** The outcome of {@link #claimOrRead}. */
    public sealed interface Lookup {
        /** This request owns the key now; {@code value} is the claim as stored (for renewals). */
        record Claimed(String value) implements Lookup {
        }

        /** Another request claimed or answered under the key. */
        record Found(IdempotencyEntry entry) implements Lookup {
        }

        /** The key was taken a moment ago and freed since; ask again. */
        record Vanished() implements Lookup {
        }
    }

    private final Storage storage;
    private final ObjectMapper json;

    public IdempotencyStore(Storage storage, ObjectMapper json) {
        this.storage = storage;
        this.json = json;
    }

    /** Claims {@code key} for a request with {@code requestHash}, or reads what holds it. */
    public Lookup claimOrRead(String key, String requestHash) {
        String claim = write(IdempotencyEntry.inFlight(requestHash, UUID.randomUUID().toString()));
        if (storage.putIfAbsent(key, claim, IN_FLIGHT_TTL)) {
            return new Lookup.Claimed(claim);
        }
        return read(key).<Lookup>map(Lookup.Found::new).orElseGet(Lookup.Vanished::new);
    }

    public Optional<IdempotencyEntry> read(String key) {
        return storage.get(key).map(this::parse);
    }

    /** Stores the finished answer under the claimed key for {@code ttl}. */
    public void complete(String key, String requestHash, RecordedAnswer answer, Duration ttl) {
        storage.put(key, write(IdempotencyEntry.done(requestHash, answer)), ttl);
    }

    /** Frees a claimed key whose answer is not kept, so a retry can run. */
    public void release(String key) {
        storage.delete(key);
    }

    private String write(IdempotencyEntry entry) {
        try {
            return json.writeValueAsString(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an idempotency entry always serializes", e);
        }
    }

    private IdempotencyEntry parse(String value) {
        try {
            return json.readValue(value, IdempotencyEntry.class);
        } catch (JsonProcessingException e) {
            throw new StorageException("An idempotency entry in storage is unreadable (" + e.getOriginalMessage()
                    + "); it is ignored.", e);
        }
    }
}
