package dev.ncp.keyfile;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One named key as stored on disk: never the key, only its lookup id and a salted PBKDF2 hash of it.
 *
 * @param name              the principal's name ({@code key:<name>} in logs, metrics and rate limits)
 * @param lookupId          the 8 characters after {@code sk-ncp-}: finds the entry without hashing every entry
 * @param salt              base64, 16 random bytes
 * @param hash              base64 PBKDF2WithHmacSHA256 of the whole key
 * @param iterations        PBKDF2 iterations used for {@code hash}
 * @param requestsPerMinute this key's own limit, or null for the global one only
 * @param models            models (ids or aliases) this key may use; empty means all
 * @param expires           ISO-8601 instant after which the key is refused, or null
 * @param created           ISO-8601 instant the key was issued
 * @param revoked           ISO-8601 instant the key was revoked, or null
 * @param operator          true when the key's holder runs the proxy (sees every key's traffic, metrics, health
 *                          details); absent (null) for everyone else, so files written before it read the same
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeyEntry(String name, String lookupId, String salt, String hash, int iterations,
                       Integer requestsPerMinute, List<String> models, String expires, String created,
                       String revoked, Boolean operator) {

    public KeyEntry {
        models = models == null ? List.of() : List.copyOf(models);
        operator = Boolean.TRUE.equals(operator) ? Boolean.TRUE : null;
    }

    /** An entry that is not an operator's. */
    public KeyEntry(String name, String lookupId, String salt, String hash, int iterations, Integer requestsPerMinute,
                    List<String> models, String expires, String created, String revoked) {
        this(name, lookupId, salt, hash, iterations, requestsPerMinute, models, expires, created, revoked, null);
    }

    @JsonIgnore
    public boolean isOperator() {
        return Boolean.TRUE.equals(operator);
    }

    @JsonIgnore
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expires).map(Instant::parse);
    }

    @JsonIgnore
    public boolean isRevoked() {
        return revoked != null;
    }

    /** The same entry, revoked at {@code when}. */
    public KeyEntry revokedAt(Instant when) {
        return new KeyEntry(name, lookupId, salt, hash, iterations, requestsPerMinute, models, expires, created,
                when.toString(), operator);
    }
}
