package dev.ncp.plugin.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageContract;
import dev.ncp.api.storage.StorageException;
import dev.ncp.api.storage.StorageHealth;
import dev.ncp.api.storage.StorageSettings;
import dev.ncp.api.storage.Timing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

class SqliteStorageEngineTest extends StorageContract {

    @TempDir
    Path dataDirectory;

    private final SqliteStorageEngine engine = new SqliteStorageEngine();

    @Override
    protected Storage newStorage() {
        return engine.open(new StorageSettings(dataDirectory, Map.of()));
    }

    @Test
    void isNamedSqlite() {
        assertEquals("sqlite", engine.name());
    }

    @Test
    void storesItsDatabaseAsNcpDbInTheDataDirectory() {
        storage().put(key("k"), "v", LONG);
        assertTrue(Files.isRegularFile(dataDirectory.resolve("ncp.db")));
    }

    @Test
    void ncpSqlitePathChoosesTheFileAndItsParentDirectoriesAreCreated() {
        Path file = dataDirectory.resolve("nested/deeper/custom.db");
        try (Storage custom = engine.open(settings(file))) {
            custom.put(key("k"), "v", LONG);
        }
        assertTrue(Files.isRegularFile(file));
    }

    @Test
    void databaseRunsInWalMode() throws SQLException {
        assertEquals("wal", query(dataDirectory.resolve("ncp.db"), "PRAGMA journal_mode"));
    }

    @Test
    void valuesAndCountersSurviveCloseAndReopen() {
        storage().put(key("k"), "kept", LONG);
        storage().incrementInWindow(key("counter"), LONG);
        storage().incrementInWindow(key("counter"), LONG);
        storage().close();

        try (Storage reopened = newStorage()) {
            assertEquals(Optional.of("kept"), reopened.get(key("k")));
            assertEquals(3, reopened.incrementInWindow(key("counter"), LONG));
        }
    }

    @Test
    void expiredRowsAreSweptFromTheFileByLaterWrites() throws SQLException {
        int expiring = 300;
        for (int i = 0; i < expiring; i++) {
            storage().incrementInWindow(key("counter-" + i), SHORT);
            storage().put(key("expiring-" + i), "v", SHORT);
        }
        // The last value was written after every other row, so once it has expired, all of them have.
        String last = key("expiring-" + (expiring - 1));
        Timing.awaitTrue("the values to expire", () -> storage().get(last).isEmpty());

        for (int i = 0; i < SqliteStorage.SWEEP_EVERY_WRITES; i++) {
            storage().put(key("live"), "v" + i, LONG);
        }

        Path file = dataDirectory.resolve("ncp.db");
        assertEquals("1", query(file, "SELECT count(*) FROM kv"), "only the live row should remain");
        assertEquals("0", query(file, "SELECT count(*) FROM counters"));
    }

    @Test
    void corruptFileFailsWithAMessageNamingThePathAndWhatToDo() throws IOException {
        Path file = dataDirectory.resolve("corrupt/garbage.db");
        Files.createDirectories(file.getParent());
        byte[] garbage = new byte[8192];
        new java.util.Random(7).nextBytes(garbage);
        Files.write(file, garbage);

        StorageException e = assertThrows(StorageException.class, () -> engine.open(settings(file)));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not a usable SQLite database"), e.getMessage());
        assertTrue(e.getMessage().contains("Move it aside"), e.getMessage());
    }

    @Test
    void unwritableLocationFailsWithAMessageNamingTheDirectory() throws IOException {
        Path blocker = dataDirectory.resolve("a-file");
        Files.writeString(blocker, "not a directory");
        Path file = blocker.resolve("ncp.db");

        StorageException e = assertThrows(StorageException.class, () -> engine.open(settings(file)));

        assertTrue(e.getMessage().contains(blocker.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("NCP_SQLITE_PATH"), e.getMessage());
    }

    @Test
    void healthNamesTheDatabaseFile() {
        StorageHealth health = storage().health();
        assertTrue(health.healthy());
        assertTrue(health.detail().contains(dataDirectory.resolve("ncp.db").toString()), health.detail());
    }

    @Test
    void closedStoreReportsUnhealthyAndRefusesWork() {
        storage().close();
        assertFalse(storage().health().healthy());
        StorageException e = assertThrows(StorageException.class, () -> storage().get(key("k")));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void hugeTtlIsClampedInsteadOfOverflowing() {
        storage().put(key("k"), "v", Duration.ofSeconds(Long.MAX_VALUE));
        assertEquals(Optional.of("v"), storage().get(key("k")));
    }

    private static StorageSettings settings(Path file) {
        return new StorageSettings(Path.of("unused"), Map.of(SqliteStorageEngine.PATH_SETTING, file.toString()));
    }

    /** Reads the file through a connection of its own, as an operator's sqlite3 shell would. */
    static String query(Path file, String sql) throws SQLException {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + file);
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
