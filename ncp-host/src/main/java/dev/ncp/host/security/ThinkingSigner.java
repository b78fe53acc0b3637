package dev.ncp.host.security;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs thinking blocks: the signature is HMAC-SHA256 of the thinking text under a per-install secret, base64. A
 * client sends thinking blocks back in later requests; the request side can then tell ncp's own thinking (safe to
 * forward or drop) from text a client made up, without storing anything.
 *
 * <p>Signing is incremental ({@link #start()}), so a long thinking block is never held in memory to be signed.
 *
 * <p>For {@code thinking.display: "omitted"} the block goes out with empty text, and the signature must carry the
 * text itself, as Anthropic's does, so that the reasoning still reaches the model when the client sends the block
 * back: {@link #startSealed()} encrypts it (AES-256-GCM under a key derived from the same secret, a fresh 12-byte
 * nonce each) into {@code ncp1.<base64url of nonce, ciphertext and tag>}; {@link #unseal} opens it again and fails
 * on any change. The ciphertext is held until the block ends — the size of the thinking, which the signature carries
 * anyway.
 */
public final class ThinkingSigner {

    private static final String ALGORITHM = "HmacSHA256";
    /** What starts a sealed signature; '.' is not a base64 character, so neither HMAC nor Anthropic's look like it. */
    public static final String SEALED_PREFIX = "ncp1.";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecretKeySpec sealKey;
    private final SecureRandom random = new SecureRandom();

    public ThinkingSigner(byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("thinking signature secret must have at least 16 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
        // A key of its own for encryption, derived from the secret, so the HMAC key is never used for two jobs.
        this.sealKey = new SecretKeySpec(start().mac("ncp thinking seal v1"), "AES");
    }

    /** Starts sealing a thinking text that arrives in pieces: its signature will carry it, encrypted. */
    public Sealing startSealed() {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, nonce));
            return new Sealing(cipher, nonce);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available in this JDK", e);
        }
    }

    /** The thinking text a sealed signature carries; empty if it is not one, or was changed or sealed elsewhere. */
    public Optional<String> unseal(String signature) {
        if (signature == null || !signature.startsWith(SEALED_PREFIX)) {
            return Optional.empty();
        }
        try {
            byte[] sealed = Base64.getUrlDecoder().decode(signature.substring(SEALED_PREFIX.length()));
            if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
                return Optional.empty();
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            byte[] text = cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
            return Optional.of(new String(text, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty(); // not base64, or the tag does not match: changed or sealed elsewhere
        }
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
        private final Utf8Pieces pieces = new Utf8Pieces();

        private Signature(Mac mac) {
            this.mac = mac;
        }

        public void update(String thinkingPiece) {
            mac.update(pieces.bytes(thinkingPiece));
        }

        public String finish() {
            mac.update(pieces.rest());
            return Base64.getEncoder().encodeToString(mac.doFinal());
        }

        private byte[] mac(String text) {
            update(text);
            mac.update(pieces.rest());
            return mac.doFinal();
        }
    }

    /** A sealed signature in progress: feed the thinking deltas in order, then {@link #finish()}. */
    public static final class Sealing {
        private final Cipher cipher;
        private final ByteArrayOutputStream sealed = new ByteArrayOutputStream(256);
        private final Utf8Pieces pieces = new Utf8Pieces();

        private Sealing(Cipher cipher, byte[] nonce) {
            this.cipher = cipher;
            sealed.writeBytes(nonce);
        }

        public void update(String thinkingPiece) {
            byte[] out = cipher.update(pieces.bytes(thinkingPiece));
            if (out != null) {
                sealed.writeBytes(out);
            }
        }

        public String finish() {
            try {
                sealed.writeBytes(cipher.doFinal(pieces.rest()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("could not seal thinking", e);
            }
            return SEALED_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed.toByteArray());
        }
    }

    /**
     * UTF-8 of a text that arrives in pieces. A piece may end inside a surrogate pair; encoding it alone would then
     * differ from encoding the whole text, so the dangling half waits for the next piece.
     */
    private static final class Utf8Pieces {
        private char heldHighSurrogate;

        byte[] bytes(String thinkingPiece) {
            String piece = heldHighSurrogate == 0 ? thinkingPiece : heldHighSurrogate + thinkingPiece;
            heldHighSurrogate = 0;
            if (!piece.isEmpty() && Character.isHighSurrogate(piece.charAt(piece.length() - 1))) {
                heldHighSurrogate = piece.charAt(piece.length() - 1);
                piece = piece.substring(0, piece.length() - 1);
            }
            return piece.getBytes(StandardCharsets.UTF_8);
        }

        /** What is still held (a lone high surrogate at the very end), encoded as the whole text would be. */
        byte[] rest() {
            byte[] rest = heldHighSurrogate == 0 ? new byte[0]
                    : String.valueOf(heldHighSurrogate).getBytes(StandardCharsets.UTF_8);
            heldHighSurrogate = 0;
            return rest;
        }
    }
}
