package dev.ncp.host.idempotency;

import dev.ncp.host.error.ApiError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A client's idempotency key, scoped to its principal, and the fingerprint of the request it was sent with.
 *
 * <p>The store key is a hash of principal and key, so two users who pick the same key never meet, and whatever a
 * client puts in the header becomes a fixed-length, safe storage key. The request fingerprint is the SHA-256 of the
 * raw body bytes: SDK retries resend the very same bytes, and comparing bytes needs no parse before the check.
 *
 * @param storageKey  where the entry lives in the storage engine
 * @param requestHash the body's fingerprint, hex
 */
public record IdempotencyKey(String storageKey, String requestHash) {

    /** Anthropic's header first; the IETF draft's {@code Idempotency-Key} is accepted too. */
    public static final String HEADER = "anthropic-idempotency-key";
    public static final String ALTERNATE_HEADER = "Idempotency-Key";
    static final int MAX_LENGTH = 255;
    private static final String PREFIX = "idempotency:";

    /**
     * The key of a request, or empty when it carries none. A blank or overlong key is a 400: silently ignoring it
     * would run the request twice where the client asked for once.
     */
    public static Optional<IdempotencyKey> of(Optional<String> header, String principalId, byte[] body) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String key = header.get().strip();
        if (key.isEmpty() || key.length() > MAX_LENGTH) {
            throw ApiError.invalidRequest("The " + HEADER + " header must be 1 to " + MAX_LENGTH
                    + " characters long; use a unique value such as a UUID per distinct request.");
        }
        String scoped = principalId.length() + ":" + principalId + "\n" + key;
        return Optional.of(new IdempotencyKey(PREFIX + sha256(scoped.getBytes(StandardCharsets.UTF_8)),
                sha256(body)));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
