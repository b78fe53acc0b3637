package dev.ncp.host.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.host.response.UpstreamErrorMapper;
import dev.ncp.host.testing.AnswerHarness;
import dev.ncp.host.testing.Fixtures;
import dev.ncp.host.testing.TestRequests;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream client over TLS, as NVIDIA's endpoint is reached: HTTP/2 negotiated by ALPN when the server offers it
 * and the client allows it ({@code UpstreamSettings.http2}, on by default), HTTP/1.1 when it does not or the server
 * offers only that — the streamed body intact each time. The server is a real Jetty TLS server with a certificate
 * made for the test (keytool, 127.0.0.1).
 */
class UpstreamTlsTest {

    private static final String PASSWORD = "ncp-test";

    @TempDir
    Path dir;

    private Path keyStore;
    private Server server;
    private final List<String> protocols = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final byte[] fixture = Fixtures.upstream("text-then-tool-call.sse");

    @BeforeEach
    void makeCertificate() throws Exception {
        keyStore = dir.resolve("upstream.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "upstream", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, output);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    /** A TLS upstream offering {@code http2} (and always HTTP/1.1) that streams the fixture to every request. */
    private URI startUpstream(boolean http2) throws Exception {
        server = new Server();
        var config = new HttpConfiguration();
        config.addCustomizer(new SecureRequestCustomizer(false)); // an IP address is no SNI host name
        var http11 = new HttpConnectionFactory(config);
        var tls = new SslContextFactory.Server();
        tls.setKeyStorePath(keyStore.toString());
        tls.setKeyStorePassword(PASSWORD);
        tls.setKeyStoreType("PKCS12");
        ConnectionFactory[] factories;
        if (http2) {
            var alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
            alpn.setDefaultProtocol(http11.getProtocol());
            factories = new ConnectionFactory[] {new SslConnectionFactory(tls, alpn.getProtocol()), alpn,
                    new HTTP2ServerConnectionFactory(config), http11};
        } else {
            factories = new ConnectionFactory[] {new SslConnectionFactory(tls, http11.getProtocol()), http11};
        }
        var connector = new ServerConnector(server, factories);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                protocols.add(request.getConnectionMetaData().getProtocol());
                bodies.add(Content.Source.asString(request, StandardCharsets.UTF_8));
                response.getHeaders().put("Content-Type", "text/event-stream");
                response.write(true, ByteBuffer.wrap(fixture), callback);
                return true;
            }
        });
        server.start();
        return URI.create("https://127.0.0.1:" + connector.getLocalPort() + "/v1");
    }

    private UpstreamClient client(URI base, boolean http2) {
        var trust = new SslContextFactory.Client();
        trust.setTrustStorePath(keyStore.toString());
        trust.setTrustStorePassword(PASSWORD);
        trust.setTrustStoreType("PKCS12");
        var settings = new UpstreamSettings(base, "nvapi-tls-test", Duration.ofSeconds(10), Duration.ofSeconds(30),
                http2, 64 * 1024);
        return new UpstreamClient(settings, AnswerHarness.JSON, new UpstreamErrorMapper(AnswerHarness.JSON), trust);
    }

    /** Streams one answer and returns the body as received. */
    private String streamOnce(UpstreamClient client) throws Exception {
        try (UpstreamResponse response = client.open(TestRequests.streaming()); InputStream body = response.body()) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void http2IsNegotiatedWhenTheUpstreamOffersIt() throws Exception {
        URI base = startUpstream(true);
        try (var client = client(base, true)) {
            assertEquals(new String(fixture, StandardCharsets.UTF_8), streamOnce(client));
            assertEquals(new String(fixture, StandardCharsets.UTF_8), streamOnce(client));
        }
        assertEquals(List.of("HTTP/2.0", "HTTP/2.0"), protocols);
        assertTrue(bodies.get(0).contains("\"stream\":true"), bodies.get(0));
    }

    @Test
    void http11WhenTheClientDoesNotAllowHttp2() throws Exception {
        URI base = startUpstream(true);
        try (var client = client(base, false)) {
            assertEquals(new String(fixture, StandardCharsets.UTF_8), streamOnce(client));
        }
        assertEquals(List.of("HTTP/1.1"), protocols);
    }

    @Test
    void http11WhenTheUpstreamOffersNothingElse() throws Exception {
        URI base = startUpstream(false);
        try (var client = client(base, true)) {
            assertEquals(new String(fixture, StandardCharsets.UTF_8), streamOnce(client));
        }
        assertEquals(List.of("HTTP/1.1"), protocols);
    }

    @Test
    void anUntrustedCertificateIsAClearUpstreamErrorNotAHang() throws Exception {
        URI base = startUpstream(true);
        var settings = new UpstreamSettings(base, "nvapi-tls-test", Duration.ofSeconds(10), Duration.ofSeconds(30),
                true, 64 * 1024);
        try (var client = new UpstreamClient(settings, AnswerHarness.JSON,
                new UpstreamErrorMapper(AnswerHarness.JSON))) {
            var error = org.junit.jupiter.api.Assertions.assertThrows(dev.ncp.host.error.ApiError.class,
                    () -> streamOnce(client));
            assertTrue(error.status() >= 500, error.status() + " " + error.getMessage());
            assertTrue(error.getMessage().contains("127.0.0.1"), error.getMessage());
        }
        assertEquals(List.of(), protocols);
    }
}
