package dev.ncp.host.translate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code metadata.user_id} → OpenAI {@code user}. Claude Code sends a JSON string with device, account and session
 * ids; forwarding it raw would hand those to the upstream and exceed length limits. The digest is stable (the same
 * user id always gives the same value, so upstream abuse tracking and per-user stats still work) and short.
 */
final class UserIdDigest {

    private static final int HEX_CHARS = 32;

    private UserIdDigest() {
    }

    /** {@code "ncp-"} + 32 hex characters of SHA-256, or null when there is no user id. */
    static String of(String userId) {
        if (userId == null || userId.isEmpty()) {
            return null;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(userId.getBytes(StandardCharsets.UTF_8));
            return "ncp-" + HexFormat.of().formatHex(digest).substring(0, HEX_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
