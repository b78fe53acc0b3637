package dev.ncp.host.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.host.config.Config;
import dev.ncp.host.config.ConfigException;
import dev.ncp.host.config.ConfigLoader;
import dev.ncp.host.storage.BuiltinStorageEngines;
import dev.ncp.host.testing.ScriptedUpstream;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ncp doctor} with an {@code upstreams:} section: every named upstream is probed as ncp will call it (its own
 * key, its protocol's headers), one finding each naming it and its base URL, never its key.
 */
class NamedUpstreamsDoctorTest {

    private static final String DEFAULT_KEY = "nvapi-default-0123456789abcdef";
    private static final String A_KEY = "nim-a-key-0123456789abcdef";
    private static final String BAD_KEY = "nim-bad-key-0123456789abcdef";
    private static final String MODELS = "{\"object\":\"list\",\"data\":[{\"id\":\"acme/coder\"}]}";

    @TempDir
    Path home;

    private final Map<String, ScriptedUpstream> upstreams = new HashMap<>();
    private final Map<String, String> settings = new HashMap<>();
    private HttpClient http;

    @BeforeEach
    void setUp() throws IOException {
        http = HttpClient.newHttpClient();
        for (String name : List.of("default", "nim-a", "nim-messages", "nim-bad", "nim-wrong-path")) {
            upstreams.put(name, ScriptedUpstream.start());
        }
        settings.put("NVIDIA_BASE_URL", url("default"));
        settings.put("NVIDIA_API_KEY", DEFAULT_KEY);
        settings.put("NIM_A_KEY", A_KEY);
        settings.put("NIM_BAD_KEY", BAD_KEY);
        settings.put("STORAGE_ENGINE", "memory");
        settings.put("PROXY_PORT", String.valueOf(freePort()));
        settings.put("NCP_PLUGINS_DIR", Files.createDirectories(home.resolve("plugins")).toString());
    }

    @AfterEach
    void tearDown() {
        http.close();
        upstreams.values().forEach(ScriptedUpstream::close);
    }

    @Test
    void eachNamedUpstreamIsProbedWithItsOwnKeyAndProtocol() throws Exception {
        String unreachable = "http://127.0.0.1:" + freePort() + "/v1";
        writeModelsFile("""
                upstreams:
                  nim-a: {base_url: "%s", api_key_env: NIM_A_KEY, headers: {X-Tenant: team-a}}
                  nim-messages: {base_url: "%s", api_key_env: NIM_A_KEY, protocol: anthropic}
                  nim-bad: {base_url: "%s", api_key_env: NIM_BAD_KEY}
                  nim-wrong-path: {base_url: "%s", protocol: anthropic}
                  nim-gone: {base_url: "%s"}
                  nim-keyless: {base_url: "%s", api_key_env: NIM_UNSET_KEY}
                models:
                  - id: acme/coder
                    upstreams: [nim-a, nim-bad]
                """.formatted(url("nim-a"), url("nim-messages"), url("nim-bad"), url("nim-wrong-path"), unreachable,
                url("nim-a")));
        upstreams.get("default").enqueue(Script.status(200, Map.of("content-type", "application/json"), MODELS));
        upstreams.get("nim-a").enqueue(Script.status(200, Map.of("content-type", "application/json"), MODELS));
        upstreams.get("nim-messages").enqueue(Script.status(200, Map.of("content-type", "application/json"),
                "{\"data\":[{\"id\":\"acme/coder\",\"type\":\"model\"},{\"id\":\"acme/small\",\"type\":\"model\"}]}"));
        upstreams.get("nim-bad").enqueue(Script.error("openai-style-401"));
        upstreams.get("nim-wrong-path").enqueue(Script.status(404, Map.of("content-type", "application/json"),
                "{\"detail\":\"Not Found\"}"));

        List<Finding> findings = examine();
        String all = lines(findings);

        assertEquals("✓ upstream " + url("default") + "/models answers (1 model) and accepts the key",
                findings.get(2).line(), all);
        assertEquals("✓ upstream nim-a (openai, " + url("nim-a") + ") answers (1 model) and accepts the key in"
                + " NIM_A_KEY", findings.get(3).line(), all);
        assertEquals("✓ upstream nim-messages (anthropic, " + url("nim-messages") + ") answers (2 models) and"
                + " accepts the key in NIM_A_KEY", findings.get(4).line(), all);
        assertEquals("✗ upstream nim-bad (openai, " + url("nim-bad") + ") rejects the key in NIM_BAD_KEY (HTTP 401)"
                + " — fix: check NIM_BAD_KEY: it must hold a key nim-bad accepts", findings.get(5).line(), all);
        assertEquals("✗ upstream nim-wrong-path (anthropic, " + url("nim-wrong-path") + ") answers GET /models with"
                + " HTTP 404: {\"detail\":\"Not Found\"} — fix: check upstreams.nim-wrong-path.base_url: it should be"
                + " the Messages API's root, where /messages answers (e.g. http://host:8000/v1)",
                findings.get(6).line(), all);
        assertTrue(findings.get(7).line().startsWith("✗ cannot reach upstream nim-gone (openai, " + unreachable
                + ") ("), all);
        assertTrue(findings.get(7).line().endsWith(" — fix: check upstreams.nim-gone.base_url and that this machine"
                + " reaches it (firewall, VPN, proxy)"), all);
        assertEquals("✗ upstream nim-keyless (openai, " + url("nim-a") + "): its key variable NIM_UNSET_KEY is not set"
                + " — fix: set NIM_UNSET_KEY (export NIM_UNSET_KEY=... or a line in ~/.ncp/.env), or drop"
                + " upstreams.nim-keyless.api_key_env if it needs no key", findings.get(8).line(), all);
        assertTrue(findings.get(9).line().startsWith("✓ storage memory"), all);
        for (String key : List.of(DEFAULT_KEY, A_KEY, BAD_KEY)) {
            assertFalse(all.contains(key), all);
        }

        // Each upstream got its own key, and only it; the Messages API one as the pass-through sends it.
        var a = upstreams.get("nim-a").requests();
        assertEquals(1, a.size(), "the keyless upstream's check calls nothing");
        assertEquals("GET", a.get(0).method());
        assertEquals("/v1/models", a.get(0).path());
        assertEquals("Bearer " + A_KEY, a.get(0).header("authorization"));
        assertEquals("team-a", a.get(0).header("x-tenant"));
        assertNull(a.get(0).header("anthropic-version"));
        var messages = upstreams.get("nim-messages").requests().get(0);
        assertEquals("/v1/models", messages.path());
        assertEquals(A_KEY, messages.header("x-api-key"));
        assertEquals("2023-06-01", messages.header("anthropic-version"));
        assertEquals("Bearer " + BAD_KEY, upstreams.get("nim-bad").requests().get(0).header("authorization"));
        assertNull(upstreams.get("nim-wrong-path").requests().get(0).header("authorization"));
        assertEquals("Bearer " + DEFAULT_KEY, upstreams.get("default").requests().get(0).header("authorization"));
    }

    @Test
    void aMissingKeyVariableStillStopsTheProxyButNotTheDoctor() throws Exception {
        writeModelsFile("upstreams:\n  nim-a: {base_url: \"" + url("nim-a") + "\", api_key_env: NIM_UNSET_KEY}\n");
        var loader = new ConfigLoader(settings, home, Optional.empty());
        var stopped = assertThrows(ConfigException.class, () -> loader.load(Optional.empty(), Map.of()));
        assertTrue(stopped.getMessage().startsWith("upstreams.nim-a.api_key_env: the variable NIM_UNSET_KEY is not"
                + " set"), stopped.getMessage());

        Config diagnosed = loader.lettingUpstreamKeysBeMissing().load(Optional.empty(), Map.of());
        assertTrue(diagnosed.userModels().upstreams().get("nim-a").keyMissing());
    }

    @Test
    void aServerErrorOfANamedUpstreamIsAProblemWithItsFix() throws Exception {
        writeModelsFile("upstreams:\n  nim-a: {base_url: \"" + url("nim-a") + "\", api_key_env: NIM_A_KEY}\n");
        upstreams.get("default").enqueue(Script.status(200, Map.of(), MODELS));
        // A server that echoes the key it got must not have it printed.
        upstreams.get("nim-a").enqueue(Script.status(503, Map.of(), "overloaded, key " + A_KEY));
        Finding a = examine().get(3);
        assertFalse(a.ok());
        assertTrue(a.what().startsWith("upstream nim-a (openai, " + url("nim-a") + ") answers GET /models with HTTP"
                + " 503: overloaded, key nim-…"), a.line());
        assertFalse(a.line().contains(A_KEY), a.line());
        assertEquals("the service has trouble; try again later (its models' other deployments take its requests)",
                a.fix());
    }

    private void writeModelsFile(String yaml) throws IOException {
        Path file = Files.writeString(home.resolve("models.yaml"), yaml);
        settings.put("NCP_MODELS_FILE", file.toString());
    }

    private List<Finding> examine() {
        Config config = new ConfigLoader(settings, home, Optional.empty()).lettingUpstreamKeysBeMissing()
                .load(Optional.empty(), Map.of());
        return new Doctor(config, Map.of(), BuiltinStorageEngines.all(), http, Duration.ofSeconds(5)).examine();
    }

    private String url(String upstream) {
        return upstreams.get(upstream).baseUrl().toString();
    }

    private static String lines(List<Finding> findings) {
        return String.join("\n", findings.stream().map(Finding::line).toList());
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
