package dev.ncp.host.stream;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs thinking blocks: the signature is HMAC-SHA256 of the thinking text under a per-install secret, base64. A
 * client sends thinking blocks back in later requests; the request side can then tell ncp's own thinking (safe to
 * forward or drop) from text a client made up, without storing anything.
 *
 * <p>Signing is incremental ({@link #start()}), so a long thinking block is never held in memory to be signed.
 */
public final class ThinkingSigner {

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    public ThinkingSigner(byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("thinking signature secret must have at least 16 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    }

    /** The signature of a whole thinking text. */
    public String sign(String thinking) {
        Signature signature = start();
        signature.update(thinking);
        return signature.finish();
    }

    /** Whether {@code signature} is ncp's signature of {@code thinking} (constant-time comparison). */
    public boolean verify(String thinking, String signature) {
        if (signature == null) {
            return false;
        }
        return MessageDigest.isEqual(sign(thinking).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }

    /** Starts signing a thinking text that arrives in pieces. */
    public Signature start() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return new Signature(mac);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    /** A signature in progress: feed the thinking deltas in order, then {@link #finish()}. */
    public static final class Signature {
        private final Mac mac;
        private char heldHighSurrogate;

        private Signature(Mac mac) {
            this.mac = mac;
        }

        public void update(String thinkingPiece) {
            // A piece may end inside a surrogate pair; encoding it alone would then differ from encoding the whole
            // text, so the dangling half waits for the next piece.
            String piece = heldHighSurrogate == 0 ? thinkingPiece : heldHighSurrogate + thinkingPiece;
            heldHighSurrogate = 0;
            if (!piece.isEmpty() && Character.isHighSurrogate(piece.charAt(piece.length() - 1))) {
                heldHighSurrogate = piece.charAt(piece.length() - 1);
                piece = piece.substring(0, piece.length() - 1);
            }
            mac.update(piece.getBytes(StandardCharsets.UTF_8));
        }

        public String finish() {
            if (heldHighSurrogate != 0) {
                mac.update(String.valueOf(heldHighSurrogate).getBytes(StandardCharsets.UTF_8));
            }
            return Base64.getEncoder().encodeToString(mac.doFinal());
        }
    }
}
