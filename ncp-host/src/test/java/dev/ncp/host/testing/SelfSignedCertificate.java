package dev.ncp.host.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for an IP address (127.0.0.1 unless told) made at test time with the JDK's keytool (no openssl needed),
 * written as PEM files: the certificate (which is also its own CA) and the unencrypted PKCS#8 key, the forms
 * redis-server's {@code --tls-cert-file} and {@code --tls-key-file} read.
 */
public record SelfSignedCertificate(Path certificatePem, Path privateKeyPem) {

    private static final char[] PASSWORD = "changeit".toCharArray();

    public static SelfSignedCertificate create(Path directory) {
        return create(directory, "127.0.0.1");
    }

    /** A certificate naming {@code ipAddress} only (another address than the server's, to test name checks). */
    public static SelfSignedCertificate create(Path directory, String ipAddress) {
        Path keystore = directory.resolve("server-" + ipAddress + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = List.of(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "RSA",
                "-keysize", "2048", "-validity", "2", "-dname", "CN=" + ipAddress, "-ext", "san=ip:" + ipAddress,
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", new String(PASSWORD),
                "-keypass", new String(PASSWORD));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return fail("keytool failed: " + output);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, PASSWORD);
            }
            Path certificate = directory.resolve("server-" + ipAddress + "-cert.pem");
            Path key = directory.resolve("server-" + ipAddress + "-key.pem");
            Files.writeString(certificate, pem("CERTIFICATE", store.getCertificate("server").getEncoded()));
            Files.writeString(key, pem("PRIVATE KEY", store.getKey("server", PASSWORD).getEncoded()));
            return new SelfSignedCertificate(certificate, key);
        } catch (IOException | GeneralSecurityException e) {
            return fail("cannot make a test certificate: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while making a test certificate");
        }
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
