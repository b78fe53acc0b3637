package dev.ncp.host.config;

/** Where a setting's effective value came from; later constants win over earlier ones. */
public enum SettingSource {
    DEFAULT("default"),
    FILE("file"),
    DOTENV(".env"),
    ENVIRONMENT("environment"),
    FLAG("flag");

    private final String label;

    SettingSource(String label) {
        this.label = label;
    }

    /** How {@code ncp config show} names it. */
    public String label() {
        return label;
    }
}
