package dev.ncp.plugin.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageContract;
import dev.ncp.api.storage.StorageException;
import dev.ncp.api.storage.StorageSettings;
import dev.ncp.host.testing.RedisServerProcess;
import dev.ncp.host.testing.SelfSignedCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract over {@code rediss://}: a real redis-server listening only with TLS, its certificate made by the
 * test and trusted through REDIS_TLS_CA_FILE. Also what a wrong certificate gets: a clear refusal, never a silent
 * unverified connection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisTlsStorageTest extends StorageContract {

    private final RedisStorageEngine engine = new RedisStorageEngine();
    private Path directory;
    private SelfSignedCertificate certificate;
    private RedisServerProcess server;

    @BeforeAll
    void startTlsRedis(@TempDir Path directory) {
        this.directory = directory;
        certificate = SelfSignedCertificate.create(directory);
        server = RedisServerProcess.tls(directory, certificate);
    }

    @AfterAll
    void stopRedis() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected Storage newStorage() {
        return open(server.url() + "/2", Optional.of(certificate.certificatePem()));
    }

    private Storage open(String url, Optional<Path> caFile) {
        Map<String, String> values = new HashMap<>(Map.of("REDIS_URL", url, "REDIS_TIMEOUT_MS", "2000"));
        caFile.ifPresent(file -> values.put("REDIS_TLS_CA_FILE", file.toString()));
        return engine.open(new StorageSettings(Path.of("unused"), values));
    }

    @Test
    void urlIsRedissAndHealthNamesIt() {
        assertTrue(server.url().startsWith("rediss://127.0.0.1:"), server.url());
        assertTrue(storage().health().detail().contains("rediss://127.0.0.1:" + server.port() + "/2"),
                storage().health().detail());
    }

    @Test
    void certificateNoTrustedCaSignedIsRefusedWithAHint() {
        StorageException e = assertThrows(StorageException.class, () -> open(server.url(), Optional.empty()));
        assertTrue(e.getMessage().startsWith("The TLS handshake with Redis at 127.0.0.1:" + server.port()
                + " failed"), e.getMessage());
        assertTrue(e.getMessage().contains("REDIS_TLS_CA_FILE"), e.getMessage());
    }

    @Test
    void trustedCertificateForAnotherAddressIsRefused() throws IOException {
        SelfSignedCertificate elsewhere = SelfSignedCertificate.create(directory, "127.0.0.2");
        try (RedisServerProcess misnamed = RedisServerProcess.tls(
                Files.createDirectories(directory.resolve("misnamed")), elsewhere)) {
            StorageException e = assertThrows(StorageException.class,
                    () -> open(misnamed.url(), Optional.of(elsewhere.certificatePem())));
            assertTrue(e.getMessage().startsWith("The TLS handshake with Redis at 127.0.0.1:" + misnamed.port()),
                    e.getMessage());
        }
    }

    @Test
    void missingCaFileIsNamedInTheError() {
        Path missing = directory.resolve("no-such-ca.pem");
        StorageException e = assertThrows(StorageException.class, () -> open(server.url(), Optional.of(missing)));
        assertEquals("Cannot read the CA certificates in REDIS_TLS_CA_FILE " + missing + " (" + missing
                + "). It must be a readable PEM file.", e.getMessage());
    }
}
