package dev.ncp.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.host.model.ModelRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

    @TempDir
    Path home;

    private Config load(Map<String, String> env) {
        return load(env, Map.of());
    }

    private Config load(Map<String, String> env, Map<String, String> flags) {
        return new ConfigLoader(env, home, Optional.of(Path.of("/opt/ncp"))).load(Optional.empty(), flags);
    }

    @Test
    void defaultsMatchTheOriginal() {
        Config c = load(Map.of());
        assertEquals(Optional.empty(), c.nvidiaApiKey());
        assertEquals(URI.create("https://integrate.api.nvidia.com/v1"), c.nvidiaBaseUrl());
        assertEquals(Optional.empty(), c.proxyApiKey());
        assertEquals("127.0.0.1", c.host());
        assertEquals(8788, c.port());
        assertEquals("sqlite", c.storageEngine());
        assertEquals(0, c.rateLimitRpm());
        assertEquals(32L * 1024 * 1024, c.maxRequestBodyBytes());
        assertEquals(Duration.ofSeconds(600), c.requestTimeout());
        assertEquals(Optional.empty(), c.defaultModel());
        assertEquals(Optional.empty(), c.defaultMaxTokens());
        assertEquals(Optional.empty(), c.hardMaxTokens());
        assertEquals(List.of(), c.fallbackModels());
        assertEquals(Duration.ofSeconds(15), c.pingInterval());
        assertEquals(0, c.textDeltaChars());
        assertFalse(c.streamVisualization());
        assertFalse(c.messageDeltaEveryBlock());
        assertEquals(home.resolve(".ncp"), c.dataDirectory());
        assertEquals(List.of(Path.of("/opt/ncp/plugins"), home.resolve(".ncp/plugins")), c.pluginDirectories());
        assertTrue(c.loopbackOnly());
    }

    @Test
    void resilienceDefaultsAndOverrides() {
        assertEquals(Config.Resilience.defaults(), load(Map.of()).resilience());
        assertEquals(new Config.Resilience(Duration.ofSeconds(3), Duration.ofSeconds(40), Duration.ofSeconds(900), 0,
                        Duration.ofMillis(250), Duration.ofSeconds(30)),
                load(Map.of("NCP_CONNECT_TIMEOUT_SECONDS", "3", "NCP_FIRST_BYTE_TIMEOUT_SECONDS", "40",
                        "NCP_IDLE_TIMEOUT_SECONDS", "900", "NCP_MAX_RETRIES", "0", "NCP_RETRY_BACKOFF_MS", "250",
                        "NCP_RETRY_MAX_WAIT_SECONDS", "30")).resilience());
        var bad = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> load(Map.of("NCP_MAX_RETRIES", "11")));
        assertEquals("NCP_MAX_RETRIES=11 is not valid: expected a whole number from 0 to 10.", bad.getMessage());
    }

    @Test
    void breakerSettingsReachTheDeploymentBreakers() {
        assertEquals(BreakerSettings.defaults(), BreakerSettings.of(load(Map.of())));
        assertEquals(new BreakerSettings(0, 40, 10, Duration.ofSeconds(60), Duration.ofSeconds(5),
                        Duration.ofSeconds(50), 0),
                BreakerSettings.of(load(Map.of("NCP_BREAKER_FAILURES", "0", "NCP_BREAKER_FAILURE_RATE", "40",
                        "NCP_BREAKER_MIN_CALLS", "10", "NCP_BREAKER_WINDOW_SECONDS", "60",
                        "NCP_BREAKER_OPEN_SECONDS", "5", "NCP_BREAKER_MAX_OPEN_SECONDS", "50",
                        "NCP_BREAKER_PANIC_PERCENT", "0"))));
        var bad = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> load(Map.of("NCP_BREAKER_OPEN_SECONDS", "400")));
        assertTrue(bad.getMessage().startsWith("NCP_BREAKER_MAX_OPEN_SECONDS=300 is not valid"), bad.getMessage());
    }

    @Test
    void everyVariableIsRead() {
        Config c = load(Map.ofEntries(
                Map.entry("NVIDIA_API_KEY", "nvapi-secret-value-1234"),
                Map.entry("NVIDIA_BASE_URL", "http://127.0.0.1:9000/v1/"),
                Map.entry("PROXY_API_KEY", "proxy-key-abcdefgh"),
                Map.entry("PROXY_HOST", "0.0.0.0"),
                Map.entry("PROXY_PORT", "9999"),
                Map.entry("STORAGE_ENGINE", "redis"),
                Map.entry("REDIS_URL", "redis://127.0.0.1:6379"),
                Map.entry("NCP_HOME", home.resolve("data").toString()),
                Map.entry("NCP_PLUGINS_DIR", "/a:/b"),
                Map.entry("RATE_LIMIT_RPM", "120"),
                Map.entry("MAX_REQUEST_BODY_MB", "8"),
                Map.entry("REQUEST_TIMEOUT_SECONDS", "30"),
                Map.entry("NCP_DEFAULT_MODEL", "qwen/qwen3-coder-480b-a35b-instruct"),
                Map.entry("NCP_DEFAULT_MAX_TOKENS", "12000"),
                Map.entry("NCP_HARD_MAX_TOKENS", "16384"),
                Map.entry("NCP_FALLBACK_MODELS", "a/b, c/d ,,e/f"),
                Map.entry("R2_PING_INTERVAL", "5"),
                Map.entry("R2_TEXT_DELTA_CHARS", "64"),
                Map.entry("R2_STREAM_VISUALIZATION", "yes"),
                Map.entry("R2_MESSAGE_DELTA_EVERY_BLOCK", "1")));
        assertEquals(Optional.of("nvapi-secret-value-1234"), c.nvidiaApiKey());
        assertEquals(URI.create("http://127.0.0.1:9000/v1"), c.nvidiaBaseUrl());
        assertEquals(Optional.of("proxy-key-abcdefgh"), c.proxyApiKey());
        assertEquals("0.0.0.0", c.host());
        assertFalse(c.loopbackOnly());
        assertEquals(9999, c.port());
        assertEquals("redis", c.storageEngine());
        assertEquals("redis://127.0.0.1:6379", c.values().get("REDIS_URL"));
        assertEquals(home.resolve("data"), c.dataDirectory());
        assertEquals(List.of(Path.of("/a"), Path.of("/b")), c.pluginDirectories());
        assertEquals(120, c.rateLimitRpm());
        assertEquals(8L * 1024 * 1024, c.maxRequestBodyBytes());
        assertEquals(Duration.ofSeconds(30), c.requestTimeout());
        assertEquals(Optional.of("qwen/qwen3-coder-480b-a35b-instruct"), c.defaultModel());
        assertEquals(Optional.of(12000), c.defaultMaxTokens());
        assertEquals(Optional.of(16384), c.hardMaxTokens());
        assertEquals(List.of("a/b", "c/d", "e/f"), c.fallbackModels());
        assertEquals(Duration.ofSeconds(5), c.pingInterval());
        assertEquals(64, c.textDeltaChars());
        assertTrue(c.streamVisualization());
        assertTrue(c.messageDeltaEveryBlock());
    }

    @Test
    void flagsOverrideEnvironmentWhichOverridesTheFile() throws IOException {
        Files.createDirectories(home.resolve(".ncp"));
        Files.writeString(home.resolve(".ncp/config.yaml"), "PROXY_PORT: 7000\nRATE_LIMIT_RPM: 10\nR2_PING_INTERVAL: 3\n");
        Config c = load(Map.of("PROXY_PORT", "7100", "RATE_LIMIT_RPM", "20"), Map.of("PROXY_PORT", "7200"));
        assertEquals(7200, c.port());
        assertEquals(20, c.rateLimitRpm());
        assertEquals(Duration.ofSeconds(3), c.pingInterval());
    }

    @Test
    void anExplicitConfigFileThatCannotBeReadIsAClearError() {
        Path missing = home.resolve("nope.yaml");
        var e = assertThrows(ConfigException.class,
                () -> new ConfigLoader(Map.of(), home, Optional.empty()).load(Optional.of(missing), Map.of()));
        assertTrue(e.getMessage().startsWith("Cannot read config file " + missing), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "PROXY_PORT|abc|PROXY_PORT=abc is not valid: expected a whole number from 0 to 65535.",
        "PROXY_PORT|70000|PROXY_PORT=70000 is not valid: expected a whole number from 0 to 65535.",
        "RATE_LIMIT_RPM|-1|RATE_LIMIT_RPM=-1 is not valid: expected a whole number from 0 to 1000000.",
        "MAX_REQUEST_BODY_MB|0|MAX_REQUEST_BODY_MB=0 is not valid: expected a whole number from 1 to 1024.",
        "REQUEST_TIMEOUT_SECONDS|ten|REQUEST_TIMEOUT_SECONDS=ten is not valid: expected a whole number from 1 to 86400.",
        "NCP_DEFAULT_MAX_TOKENS|0|NCP_DEFAULT_MAX_TOKENS=0 is not valid: expected a whole number from 1 to 10000000.",
        "NCP_HARD_MAX_TOKENS|1.5|NCP_HARD_MAX_TOKENS=1.5 is not valid: expected a whole number from 1 to 10000000.",
        "R2_PING_INTERVAL|0|R2_PING_INTERVAL=0 is not valid: expected a whole number from 1 to 3600.",
        "R2_TEXT_DELTA_CHARS|-5|R2_TEXT_DELTA_CHARS=-5 is not valid: expected a whole number from 0 to 1000000.",
        "R2_STREAM_VISUALIZATION|maybe|R2_STREAM_VISUALIZATION=maybe is not valid: expected true or false.",
        "R2_MESSAGE_DELTA_EVERY_BLOCK|2|R2_MESSAGE_DELTA_EVERY_BLOCK=2 is not valid: expected true or false.",
        "NVIDIA_BASE_URL|ftp://x|NVIDIA_BASE_URL=ftp://x is not valid: expected an http:// or https:// URL.",
        "NVIDIA_BASE_URL|not a url|NVIDIA_BASE_URL=not a url is not valid: expected an http:// or https:// URL.",
        "STORAGE_ENGINE|Mongo DB|STORAGE_ENGINE=Mongo DB is not valid: expected an engine name such as memory, sqlite or redis.",
    })
    void aBadValueFailsWithOneLineNamingVariableValueAndWhatIsAllowed(String name, String value, String message) {
        var e = assertThrows(ConfigException.class, () -> load(Map.of(name, value)));
        assertEquals(message, e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void secretsAreMaskedInErrorsAndToString() {
        Config c = load(Map.of("NVIDIA_API_KEY", "nvapi-0123456789abcdef", "PROXY_API_KEY", "supersecretproxykey"));
        String shown = c.toString();
        assertFalse(shown.contains("nvapi-0123456789abcdef"), shown);
        assertFalse(shown.contains("supersecretproxykey"), shown);
        assertTrue(shown.contains("nvap…cdef"), shown);
    }

    @Test
    void onlyTheImageRouteIsOnByDefaultAndOffTurnsItOff() {
        ScenarioRoutes defaults = load(Map.of()).routes();
        assertEquals(Optional.of("claude-llama4-maverick"), defaults.image());
        assertEquals(new ScenarioRoutes(Optional.empty(), Optional.empty(), Optional.empty(),
                ScenarioRoutes.DEFAULT_LONG_CONTEXT_THRESHOLD, Optional.empty(), Optional.empty()), load(Map.of(
                "NCP_ROUTE_IMAGE", "off")).routes());
        assertEquals(UserModels.NONE, load(Map.of()).userModels());
    }

    @Test
    void routesComeFromTheConfigFileSectionAndEnvironmentVariablesWin() throws IOException {
        Files.createDirectories(home.resolve(".ncp"));
        Files.writeString(home.resolve(".ncp/config.yaml"), """
                PROXY_PORT: 7000
                routes:
                  think: claude-qwen3
                  background: nvidia/nemotron-3-nano-30b-a3b
                  longContext: claude-llama4-scout
                  longContextThreshold: 90000
                """);
        ScenarioRoutes r = load(Map.of("NCP_ROUTE_THINK", "claude-deepseek-v4", "NCP_ROUTE_IMAGE",
                "claude-llama4-maverick")).routes();
        assertEquals(Optional.of("claude-deepseek-v4"), r.think());
        assertEquals(Optional.of("nvidia/nemotron-3-nano-30b-a3b"), r.background());
        assertEquals(Optional.of("claude-llama4-scout"), r.longContext());
        assertEquals(90_000, r.longContextThreshold());
        assertEquals(Optional.of("claude-llama4-maverick"), r.image());
        assertEquals(Optional.empty(), r.subagent());
    }

    @Test
    void anUnknownRouteOrABadThresholdStopsStartup() throws IOException {
        Files.createDirectories(home.resolve(".ncp"));
        Files.writeString(home.resolve(".ncp/config.yaml"), "routes:\n  webSearch: x/y\n");
        var e = assertThrows(ConfigException.class, () -> load(Map.of()));
        assertTrue(e.getMessage().contains("routes.webSearch: unknown route"), e.getMessage());
        Files.delete(home.resolve(".ncp/config.yaml"));
        var t = assertThrows(ConfigException.class, () -> load(Map.of("NCP_LONG_CONTEXT_THRESHOLD", "lots")));
        assertEquals("NCP_LONG_CONTEXT_THRESHOLD=lots is not valid: expected a whole number from 1 to 2147483647.",
                t.getMessage());
    }

    @Test
    void theModelsFileInTheDataDirectoryAppliesAfterTheConfigFileSection() throws IOException {
        Files.createDirectories(home.resolve(".ncp"));
        Files.writeString(home.resolve(".ncp/config.yaml"), """
                models:
                  - id: acme/coder
                    context_window: 8192
                    vision: true
                claude:
                  opus: acme/coder
                """);
        Files.writeString(home.resolve(".ncp/models.yaml"), """
                models:
                  - id: acme/coder
                    context_window: 65536
                """);
        UserModels user = load(Map.of()).userModels();
        var registry = ModelRegistry.build(List.of(), user, Optional.empty());
        assertEquals(65_536, registry.model("acme/coder").contextWindow());
        assertTrue(registry.model("acme/coder").capabilities().vision());
        assertEquals("acme/coder", registry.resolve("claude-opus-4-7").model().id());
    }

    @Test
    void ncpModelsFileNamesTheFileAndMustExist() throws IOException {
        Path file = Files.writeString(home.resolve("team-models.yaml"), "models:\n  - id: acme/x\n");
        assertEquals("acme/x", load(Map.of("NCP_MODELS_FILE", file.toString())).userModels().entries().get(0).id());
        var e = assertThrows(ConfigException.class, () -> load(Map.of("NCP_MODELS_FILE", "/nope/models.yaml")));
        assertEquals("NCP_MODELS_FILE=/nope/models.yaml is not valid: no such file; write one (ncp models-refresh"
                + " --output FILE makes a start) or unset the variable.", e.getMessage());
    }

    @Test
    void aBadModelsFileStopsStartupNamingIt() throws IOException {
        Path file = Files.writeString(home.resolve("m.yaml"), "models:\n  - id: acme/x\n    tools: maybe\n");
        var e = assertThrows(ConfigException.class, () -> load(Map.of("NCP_MODELS_FILE", file.toString())));
        assertEquals(file + ": models[0] (acme/x): tools: expected true or false, got \"maybe\"", e.getMessage());
    }
}
