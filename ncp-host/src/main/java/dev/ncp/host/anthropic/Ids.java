package dev.ncp.host.anthropic;

import java.security.SecureRandom;

/** Anthropic-style random ids: {@code msg_...}, {@code toolu_...}, {@code req_...}, base62 like Anthropic's own. */
public final class Ids {

    public static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int RANDOM_CHARS = 24;

    private final SecureRandom random;

    public Ids(SecureRandom random) {
        this.random = random;
    }

    public Ids() {
        this(new SecureRandom());
    }

    public String messageId() {
        return "msg_01" + randomBase62(RANDOM_CHARS - 2);
    }

    public String toolUseId() {
        return "toolu_01" + randomBase62(RANDOM_CHARS - 2);
    }

    public String requestId() {
        return "req_01" + randomBase62(RANDOM_CHARS - 2);
    }

    private String randomBase62(int length) {
        var sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(BASE62.charAt(random.nextInt(BASE62.length())));
        }
        return sb.toString();
    }
}
