package dev.ncp.plugin.sqlite;

import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageEngine;
import dev.ncp.api.storage.StorageException;
import dev.ncp.api.storage.StorageSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The {@code sqlite} engine, ncp's default: one WAL-mode database file, {@code NCP_SQLITE_PATH} or
 * {@code <data directory>/ncp.db}. Several ncp processes on one machine may share the file.
 */
@Extension
public final class SqliteStorageEngine implements StorageEngine {

    public static final String NAME = "sqlite";
    public static final String PATH_SETTING = "NCP_SQLITE_PATH";
    public static final String DEFAULT_FILE_NAME = "ncp.db";

    /** How long a writer waits for another process's write to finish before giving up with SQLITE_BUSY. */
    static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private static final Logger log = LoggerFactory.getLogger(SqliteStorageEngine.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Storage open(StorageSettings settings) {
        Path path = databasePath(settings);
        createParentDirectories(path);
        Connection connection = connect(path);
        try {
            SqliteStorage storage = new SqliteStorage(path, connection, Clock.systemUTC());
            log.info("SQLite storage at {} (WAL)", path);
            return storage;
        } catch (RuntimeException e) {
            closeQuietly(connection, e);
            throw e;
        }
    }

    static Path databasePath(StorageSettings settings) {
        return settings.value(PATH_SETTING)
                .map(SqliteStorageEngine::expandHome)
                .orElseGet(() -> settings.dataDirectory().resolve(DEFAULT_FILE_NAME))
                .toAbsolutePath()
                .normalize();
    }

    /** A shell expands {@code ~} in an exported variable, a config file or a service unit does not. */
    private static Path expandHome(String path) {
        return path.equals("~") || path.startsWith("~/")
                ? Path.of(System.getProperty("user.home")).resolve(path.substring(Math.min(2, path.length())))
                : Path.of(path);
    }

    private static void createParentDirectories(Path path) {
        Path directory = path.getParent();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new StorageException("Cannot create the directory " + directory + " for the ncp SQLite database ("
                    + e + "). Create it with write access for this user, or set " + PATH_SETTING
                    + " to a file in a writable directory.", e);
        }
    }

    /**
     * Opens through {@link SQLiteDataSource}, not {@code DriverManager}: DriverManager only sees drivers visible to
     * the system class loader, and inside a PF4J plugin sqlite-jdbc lives in the plugin's own class loader.
     */
    private static Connection connect(Path path) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // NORMAL is durable across application crashes in WAL mode; only a power loss may drop the last commits,
        // which is acceptable for idempotency records and rate-limit counters.
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + path);
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw SqliteFailures.explain(path, e);
        }
    }

    private static void closeQuietly(Connection connection, Exception primary) {
        try {
            connection.close();
        } catch (SQLException e) {
            primary.addSuppressed(e);
        }
    }
}
