package dev.ncp.api.storage;

/** A storage failure whose message is written for the user: what failed, where, and what to do. */
public class StorageException extends RuntimeException {

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
