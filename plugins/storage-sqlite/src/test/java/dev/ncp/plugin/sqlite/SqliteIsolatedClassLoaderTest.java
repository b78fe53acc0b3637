package dev.ncp.plugin.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.ncp.api.storage.StorageEngine;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.ExtensionPoint;
import org.slf4j.Logger;
import org.sqlite.SQLiteDataSource;

/**
 * Runs the engine the way PF4J will: its classes and sqlite-jdbc in a class loader of their own that neither the
 * system class loader nor the thread's context class loader can see into. This catches DriverManager lookups and
 * native-library loading tied to the system class loader — and shows a second copy of the native library loads
 * beside the one the rest of this test JVM already uses.
 */
class SqliteIsolatedClassLoaderTest {

    @TempDir
    Path dataDirectory;

    @Test
    void engineOpensAndWorksInsideAnIsolatedPluginClassLoader() throws Exception {
        URL[] classpath = {
            locationOf(SqliteStorageEngine.class), locationOf(SQLiteDataSource.class),
            locationOf(StorageEngine.class), locationOf(ExtensionPoint.class), locationOf(Logger.class),
        };
        Thread thread = Thread.currentThread();
        ClassLoader previousContext = thread.getContextClassLoader();
        try (URLClassLoader plugin = new URLClassLoader("plugin", classpath, ClassLoader.getPlatformClassLoader())) {
            thread.setContextClassLoader(ClassLoader.getPlatformClassLoader());

            Class<?> engineClass = plugin.loadClass(SqliteStorageEngine.class.getName());
            assertNotSame(SqliteStorageEngine.class, engineClass, "the engine must come from the isolated loader");
            Class<?> settingsClass = plugin.loadClass("dev.ncp.api.storage.StorageSettings");
            Class<?> storageClass = plugin.loadClass("dev.ncp.api.storage.Storage");

            Object settings = settingsClass.getConstructor(Path.class, Map.class).newInstance(dataDirectory, Map.of());
            Object engine = engineClass.getConstructor().newInstance();
            Object storage = engineClass.getMethod("open", settingsClass).invoke(engine, settings);
            try {
                storageClass.getMethod("put", String.class, String.class, Duration.class)
                        .invoke(storage, "k", "v", Duration.ofMinutes(1));
                assertEquals(Optional.of("v"), storageClass.getMethod("get", String.class).invoke(storage, "k"));
            } finally {
                storageClass.getMethod("close").invoke(storage);
            }
        } finally {
            thread.setContextClassLoader(previousContext);
        }
    }

    private static URL locationOf(Class<?> type) throws URISyntaxException, MalformedURLException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toUri().toURL();
    }
}
