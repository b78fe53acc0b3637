package dev.ncp.host.config;

/** A configuration value ncp cannot use; the message names the variable, the value and what is allowed. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    public static ConfigException invalid(Setting setting, String value, String allowed) {
        return new ConfigException(setting.name() + "=" + Secrets.maskIfSecret(setting, value)
                + " is not valid: " + allowed + ".");
    }
}
