package dev.ncp.api.storage;

/** The result of {@link Storage#health()}: whether the store answers, and a short human detail. */
public record StorageHealth(boolean healthy, String detail) {

    public static StorageHealth up(String detail) {
        return new StorageHealth(true, detail);
    }

    public static StorageHealth down(String detail) {
        return new StorageHealth(false, detail);
    }
}
