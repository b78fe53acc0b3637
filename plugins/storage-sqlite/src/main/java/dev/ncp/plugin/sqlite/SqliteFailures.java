package dev.ncp.plugin.sqlite;

import dev.ncp.api.storage.StorageException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.sqlite.SQLiteException;

/** Turns SQLite errors into {@link StorageException}s that name the file and say what the user can do. */
final class SqliteFailures {

    // Primary result codes, https://sqlite.org/rescode.html
    private static final int PERM = 3;
    private static final int BUSY = 5;
    private static final int LOCKED = 6;
    private static final int READONLY = 8;
    private static final int CORRUPT = 11;
    private static final int FULL = 13;
    private static final int CANTOPEN = 14;
    private static final int NOTADB = 26;

    private SqliteFailures() {
    }

    static StorageException explain(Path path, SQLException e) {
        String reason = e.getMessage();
        String otherFile = " or set " + SqliteStorageEngine.PATH_SETTING + " to another file.";
        return switch (primaryCode(e)) {
            case CORRUPT, NOTADB -> new StorageException("The file " + path + " is not a usable SQLite database ("
                    + reason + "). Move it aside (or delete it) and ncp creates a new, empty database there on the"
                    + " next start," + otherFile, e);
            case PERM, READONLY, CANTOPEN -> new StorageException("Cannot open or write the SQLite database " + path
                    + " (" + reason + "). Check that the file and its directory are writable by this user," + otherFile,
                    e);
            case BUSY, LOCKED -> new StorageException("The SQLite database " + path + " stayed locked for more than "
                    + SqliteStorageEngine.BUSY_TIMEOUT_MILLIS / 1000 + " s (" + reason + "). Another process is"
                    + " holding it: stop it," + otherFile, e);
            case FULL -> new StorageException("The disk holding the SQLite database " + path + " is full (" + reason
                    + "). Free some space.", e);
            default -> new StorageException("The SQLite database " + path + " failed: " + reason, e);
        };
    }

    /** sqlite-jdbc reports extended codes such as SQLITE_CORRUPT_INDEX; their low byte is the primary code. */
    private static int primaryCode(SQLException e) {
        int code = e instanceof SQLiteException sqlite ? sqlite.getResultCode().code : e.getErrorCode();
        return code & 0xFF;
    }
}
