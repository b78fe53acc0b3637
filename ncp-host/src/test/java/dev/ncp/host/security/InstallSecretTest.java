package dev.ncp.host.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-install signing secret: made once, owner-only, the same on every later start. */
class InstallSecretTest {

    @TempDir
    Path home;

    @Test
    void theFirstLoadCreatesA256BitSecretReadableByTheOwnerOnly() throws Exception {
        Path dataDirectory = home.resolve(".ncp"); // not there yet: created too
        byte[] secret = InstallSecret.loadOrCreate(dataDirectory);
        assertEquals(32, secret.length);
        assertFalse(Arrays.equals(new byte[32], secret), "random, not zeros");
        Path file = dataDirectory.resolve("secret");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(64, Files.readString(file).strip().length(), "hex on disk");
    }

    @Test
    void laterLoadsReuseTheSameSecretAndSoDoOtherInstallsSecretsDiffer() {
        byte[] first = InstallSecret.loadOrCreate(home);
        assertArrayEquals(first, InstallSecret.loadOrCreate(home), "a restart signs with the same secret");
        assertFalse(Arrays.equals(first, InstallSecret.loadOrCreate(home.resolve("other-install"))));
    }

    @Test
    void aDamagedFileStopsStartupWithWhatToDo() throws Exception {
        Files.writeString(home.resolve("secret"), "not hex");
        var e = assertThrows(UncheckedIOException.class, () -> InstallSecret.loadOrCreate(home));
        assertTrue(e.getMessage().contains("delete a damaged file"), e.getMessage());
        assertTrue(e.getMessage().contains(home.resolve("secret").toString()), e.getMessage());
    }
}
