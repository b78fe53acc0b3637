package dev.ncp.plugin.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The two tables. Values and counters live apart so each column has one type; all times are epoch milliseconds
 * (wall clock), the one clock that several processes sharing the file agree on. A row whose deadline has passed is
 * absent to every query and is deleted later by {@link SqliteStorage}'s sweep; the indexes keep that sweep cheap.
 */
final class SqliteSchema {

    private static final String[] STATEMENTS = {
        """
        CREATE TABLE IF NOT EXISTS kv (
            key        TEXT    PRIMARY KEY,
            value      TEXT    NOT NULL,
            expires_at INTEGER NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS kv_expires_at ON kv (expires_at)",
        """
        CREATE TABLE IF NOT EXISTS counters (
            key            TEXT    PRIMARY KEY,
            count          INTEGER NOT NULL,
            window_ends_at INTEGER NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS counters_window_ends_at ON counters (window_ends_at)",
    };

    private SqliteSchema() {
    }

    /** Idempotent, so every process opening the file may run it. */
    static void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : STATEMENTS) {
                statement.execute(sql);
            }
        }
    }
}
