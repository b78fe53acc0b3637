package dev.ncp.host.translate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Makes a tool name acceptable to OpenAI-compatible upstreams: {@code ^[a-zA-Z0-9_-]{1,64}$}. Anthropic allows 128
 * characters (MCP tools such as {@code mcp__server__a_long_tool_name} get long), so long names keep a readable head
 * and end in a short hash of the whole name, which keeps distinct names distinct. Pure function: the same name
 * always sanitizes the same way, in every request and on every instance.
 */
public final class ToolNameSanitizer {

    public static final int MAX_LENGTH = 64;
    private static final Pattern ALLOWED = Pattern.compile("^[a-zA-Z0-9_-]{1," + MAX_LENGTH + "}$");
    private static final Pattern DISALLOWED_RUN = Pattern.compile("[^a-zA-Z0-9_-]+");
    private static final int HASH_CHARS = 8;

    public String sanitize(String name) {
        if (ALLOWED.matcher(name).matches()) {
            return name;
        }
        String cleaned = DISALLOWED_RUN.matcher(name).replaceAll("_");
        if (cleaned.isEmpty() || cleaned.equals("_")) {
            cleaned = "tool";
        }
        return cleaned.length() <= MAX_LENGTH ? cleaned : withSuffix(cleaned, "_" + shortHash(name));
    }

    /** {@code base} cut so that {@code base + suffix} fits {@link #MAX_LENGTH}. */
    static String withSuffix(String base, String suffix) {
        int keep = Math.min(base.length(), MAX_LENGTH - suffix.length());
        return base.substring(0, keep) + suffix;
    }

    private static String shortHash(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
