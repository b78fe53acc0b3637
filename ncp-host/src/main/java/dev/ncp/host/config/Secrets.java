package dev.ncp.host.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Masks credentials for display: enough to recognise a key, never enough to use it. */
public final class Secrets {

    private Secrets() {
    }

    /** {@code nvapi-abcdefgh...wxyz} becomes {@code nvap…wxyz}; short values become {@code ****}. */
    public static String mask(String value) {
        if (value == null || value.isEmpty()) {
            return "(unset)";
        }
        if (value.length() < 12) {
            return "****";
        }
        return value.substring(0, 4) + "…" + value.substring(value.length() - 4);
    }

    /**
     * Credential-shaped words ({@code nvapi-…}, {@code sk-…} such as {@code sk-ncp-…} and {@code sk-ant-…}, and
     * {@code Bearer …} tokens): what {@link #scrub} masks in free text.
     */
    private static final Pattern CREDENTIAL = Pattern.compile(
            "(?i)(?<![A-Za-z0-9])(?:nvapi-|sk-)[A-Za-z0-9_\\-]{8,}|(?<=Bearer )[A-Za-z0-9._~+/=\\-]{12,}");

    /**
     * {@code text} with every credential-shaped word masked. Every error message passes through it (see
     * {@code ApiError}), so a key an upstream or library echoes never reaches a client or a log.
     */
    public static String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return CREDENTIAL.matcher(text).replaceAll(m -> Matcher.quoteReplacement(mask(m.group())));
    }

    static String maskIfSecret(Setting setting, String value) {
        return setting.secret() ? mask(value) : value;
    }
}
