package dev.ncp.host.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A random secret made once per installation ({@code ~/.ncp/secret}, readable by the owner only). It signs the
 * thinking blocks ncp hands out, so a block sent back later — after a restart too — can be told from a forged one.
 * Instances sharing one data directory share the secret.
 */
public final class InstallSecret {

    private InstallSecret() {
    }

    public static byte[] loadOrCreate(Path dataDirectory) {
        Path file = dataDirectory.resolve("secret");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dataDirectory);
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                try {
                    createOwnerOnly(file);
                    Files.writeString(file, HexFormat.of().formatHex(fresh), StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException raced) {
                    // another instance created it first: use theirs
                }
            }
            return HexFormat.of().parseHex(Files.readString(file).strip());
        } catch (IOException | IllegalArgumentException e) {
            throw new UncheckedIOException(new IOException("Cannot read or create ncp's secret at " + file
                    + " (" + e.getMessage() + "): make the directory writable, or delete a damaged file.", e));
        }
    }

    /** Creates the empty file readable by the owner only from the start: the secret is never world-readable. */
    private static void createOwnerOnly(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file); // non-POSIX file systems keep their default permissions
        }
    }
}
