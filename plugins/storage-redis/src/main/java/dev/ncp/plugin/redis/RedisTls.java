package dev.ncp.plugin.redis;

import dev.ncp.api.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;

/**
 * TLS for {@code rediss://}: the server's certificate must chain to a trusted CA — the JDK's, or only those in the
 * PEM file {@code REDIS_TLS_CA_FILE} (a private CA, as managed and self-hosted Redis often use) — and name the host
 * ncp connected to. Jedis checks neither name by default; ncp does, as an HTTPS client would.
 */
final class RedisTls {

    static final String CA_FILE_SETTING = "REDIS_TLS_CA_FILE";

    private RedisTls() {
    }

    static void apply(DefaultJedisClientConfig.Builder config, boolean tls, Optional<String> caFile) {
        if (!tls) {
            return;
        }
        SSLParameters parameters = new SSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        config.ssl(true).sslParameters(parameters);
        caFile.map(Path::of).ifPresent(file -> config.sslSocketFactory(trusting(file)));
    }

    private static SSLSocketFactory trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new StorageException(CA_FILE_SETTING + " " + caFile + " holds no PEM certificate.");
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("ca-" + n++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new StorageException("Cannot read the CA certificates in " + CA_FILE_SETTING + " " + caFile
                    + " (" + e.getMessage() + "). It must be a readable PEM file.", e);
        }
    }
}
