package dev.ncp.keyfile;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Issuing and checking keys. A key is {@code sk-ncp-} followed by 43 base64url characters (256 random bits). Its
 * first 8 characters are the <em>lookup id</em>, stored in clear so a presented key finds its one entry without
 * hashing against every entry; the whole key is stored only as PBKDF2WithHmacSHA256 with a 16-byte random salt and
 * {@value #ITERATIONS} iterations (OWASP's 2023 figure). The 208 bits after the lookup id stay secret.
 */
public final class KeyHashing {

    public static final String PREFIX = "sk-ncp-";
    public static final int ITERATIONS = 210_000;
    static final int LOOKUP_ID_LENGTH = 8;
    private static final int KEY_BYTES = 32;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private final SecureRandom random;

    public KeyHashing(SecureRandom random) {
        this.random = random;
    }

    /** A key just issued: the key itself (shown to its owner once) and the entry stored for it. */
    public record Issued(String key, KeyEntry entry) {
        @Override
        public String toString() {
            return "Issued[" + entry.name() + "]"; // never the key
        }
    }

    public Issued issue(String name, Integer requestsPerMinute, List<String> models, Instant expires, Instant now) {
        return issue(name, requestsPerMinute, models, expires, now, false);
    }

    /** As {@link #issue(String, Integer, List, Instant, Instant)}; {@code operator}: the key runs the proxy. */
    public Issued issue(String name, Integer requestsPerMinute, List<String> models, Instant expires, Instant now,
                        boolean operator) {
        byte[] raw = new byte[KEY_BYTES];
        random.nextBytes(raw);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        var entry = new KeyEntry(name, lookupId(key).orElseThrow(), b64(salt), b64(pbkdf2(key, salt, ITERATIONS)),
                ITERATIONS, requestsPerMinute, models, expires == null ? null : expires.toString(), now.toString(),
                null, operator);
        return new Issued(key, entry);
    }

    /** The lookup id of a presented key, or empty when it is not shaped like an ncp key. */
    public static Optional<String> lookupId(String presented) {
        if (presented == null || !presented.startsWith(PREFIX) || presented.length() < PREFIX.length() + 16) {
            return Optional.empty();
        }
        return Optional.of(presented.substring(PREFIX.length(), PREFIX.length() + LOOKUP_ID_LENGTH));
    }

    /** Whether {@code presented} is the key {@code entry} was issued for (slow on purpose: PBKDF2). */
    public static boolean matches(String presented, KeyEntry entry) {
        byte[] expected = Base64.getDecoder().decode(entry.hash());
        byte[] actual = pbkdf2(presented, Base64.getDecoder().decode(entry.salt()), entry.iterations());
        return MessageDigest.isEqual(expected, actual);
    }

    /** SHA-256 of a presented key, hex: a fast in-memory cache key for keys verified once already. */
    public static String fingerprint(String presented) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(presented.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static byte[] pbkdf2(String key, byte[] salt, int iterations) {
        var spec = new PBEKeySpec(key.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
