package dev.ncp.host.config;

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

    static String maskIfSecret(Setting setting, String value) {
        return setting.secret() ? mask(value) : value;
    }
}
