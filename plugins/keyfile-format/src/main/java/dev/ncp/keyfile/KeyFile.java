package dev.ncp.keyfile;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The key file, {@code keys.json}: {@code {"version":1,"keys":[KeyEntry...]}}. Written atomically (temporary file,
 * then rename), owner-readable only where the file system has POSIX permissions, so a reader never sees half a file.
 */
public record KeyFile(int version, List<KeyEntry> keys) {

    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public KeyFile {
        keys = keys == null ? List.of() : List.copyOf(keys);
    }

    public static KeyFile empty() {
        return new KeyFile(VERSION, List.of());
    }

    public static KeyFile parse(byte[] json) throws IOException {
        KeyFile file = JSON.readValue(json, KeyFile.class);
        if (file == null) {
            throw new IOException("the key file is empty");
        }
        return file;
    }

    /** The file at {@code path}, or an empty one when there is none yet. */
    public static KeyFile readOrEmpty(Path path) throws IOException {
        return Files.exists(path) ? parse(Files.readAllBytes(path)) : empty();
    }

    public void write(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".keys", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's permissions protect the file
            }
            Files.write(tmp, JSON.writeValueAsBytes(this));
            try {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public Optional<KeyEntry> named(String name) {
        return keys.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /** This file with {@code entry} added; a name may be used once. */
    public KeyFile with(KeyEntry entry) {
        if (named(entry.name()).isPresent()) {
            throw new IllegalArgumentException("a key named '" + entry.name() + "' exists already");
        }
        List<KeyEntry> out = new ArrayList<>(keys);
        out.add(entry);
        return new KeyFile(VERSION, out);
    }

    /** This file with {@code entry} in place of the entry of the same name. */
    public KeyFile replacing(KeyEntry entry) {
        return new KeyFile(VERSION, keys.stream().map(k -> k.name().equals(entry.name()) ? entry : k).toList());
    }
}
