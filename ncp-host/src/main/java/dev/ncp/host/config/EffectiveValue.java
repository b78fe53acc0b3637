package dev.ncp.host.config;

/**
 * One setting's raw value as it will be used, and where it came from.
 *
 * @param origin the file that set it (config file or {@code .env}), or the source's name for the others
 */
public record EffectiveValue(String value, SettingSource source, String origin) {
}
