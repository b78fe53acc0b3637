package dev.ncp.host.cli;

import dev.ncp.host.config.Config;
import dev.ncp.host.config.Setting;

/**
 * {@code NCP_LOG_LEVEL} (the original's {@code LOG_LEVEL} in a {@code .env}) as slf4j-simple's default level. Must
 * run before the first logger is created: slf4j-simple reads its settings once. A level given to the JVM
 * ({@code -Dorg.slf4j.simpleLogger.defaultLogLevel=...} in JAVA_OPTS) wins.
 */
final class LogLevel {

    private static final String PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    private LogLevel() {
    }

    static void apply(Config config) {
        String level = config.values().get(Setting.NCP_LOG_LEVEL.name());
        if (level != null && System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, level.strip().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /**
     * Warnings and errors only, unless the JVM was given a level: for commands whose findings are their output
     * ({@code ncp doctor}), where the storage engines' and plugins' start-up lines would be noise between them.
     */
    static void quiet() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "warn");
        }
    }
}
