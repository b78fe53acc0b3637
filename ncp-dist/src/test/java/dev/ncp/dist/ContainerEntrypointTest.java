package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container recipe's parts that run without a container engine: its entrypoint (the proxy on 0.0.0.0 only with
 * PROXY_API_KEY) on the unpacked self-contained tarball, and the Dockerfile's HEALTHCHECK command against it.
 */
class ContainerEntrypointTest {

    private static final Path DOCKER_DIR = BundleProcess.REPOSITORY_ROOT.resolve("ncp-dist/src/main/docker");
    private static final Path ENTRYPOINT = DOCKER_DIR.resolve("entrypoint.sh");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void withoutProxyApiKeyTheProxyDoesNotStart() throws Exception {
        Path ncp = UnpackedTarball.unpack(UnpackedTarball.SELF_CONTAINED, work.resolve("opt"));
        var user = new UnpackedTarball(work);
        var refused = user.run(List.of("sh", ENTRYPOINT.toString()), Map.of("NCP_BIN", ncp + "/bin/ncp"));
        assertEquals(64, refused.exit(), refused.out());
        assertTrue(refused.err().startsWith("ncp container: set PROXY_API_KEY"), refused.err());
        assertEquals("", refused.out());

        var version = user.run(List.of("sh", ENTRYPOINT.toString(), "--version"), Map.of("NCP_BIN", ncp + "/bin/ncp"));
        assertEquals(0, version.exit(), version.err());
        assertEquals("ncp " + BundleStartTest.BUILD_VERSION, version.out().strip(), "other commands need no key");
    }

    @Test
    void withProxyApiKeyItListensOnEveryAddressAndTheHealthcheckPasses() throws Exception {
        Path ncp = UnpackedTarball.unpack(UnpackedTarball.SELF_CONTAINED, work.resolve("opt"));
        var user = new UnpackedTarball(work);
        String port = String.valueOf(BundleProcess.freePort());
        Map<String, String> env = Map.of("NCP_BIN", ncp + "/bin/ncp", "PROXY_API_KEY", "container-test-key-0123",
                "PROXY_PORT", port);
        try (var proxy = user.start(List.of("sh", ENTRYPOINT.toString()), env)) {
            proxy.awaitHealthy();
            // The startup lines show a loopback URL to click; the bind itself is announced by its warning.
            assertTrue(proxy.log().contains("PROXY_HOST=0.0.0.0 exposes ncp beyond this machine"), proxy.log());
            assertTrue(proxy.url("").endsWith(":" + port), proxy.url(""));

            var healthcheck = user.run(List.of("sh", "-c", healthcheckCommand()), env);
            assertEquals(0, healthcheck.exit(), "the HEALTHCHECK command: " + healthcheck.err());

            var anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(proxy.url("/v1/messages")))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode(), anonymous.body());
            assertEquals("authentication_error", JSON.readTree(anonymous.body()).path("error").path("type").asText());
        }
    }

    /** The command of the Dockerfile's HEALTHCHECK (after {@code CMD}, continuation lines joined). */
    private static String healthcheckCommand() throws Exception {
        String dockerfile = Files.readString(DOCKER_DIR.resolve("Dockerfile")).replace("\\\n", " ");
        String line = dockerfile.lines().filter(l -> l.startsWith("HEALTHCHECK ")).findFirst()
                .orElseThrow(() -> new AssertionError("the Dockerfile declares a HEALTHCHECK"));
        int cmd = line.indexOf(" CMD ");
        assertTrue(cmd > 0, line);
        return line.substring(cmd + " CMD ".length()).strip();
    }
}
