package dev.ncp.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

/**
 * The {@code upstreams:} section and a model's deployments: read from the config file or the models file, keys taken
 * from the variables named, and every mistake stopping startup with one line that names its place.
 */
class UpstreamsConfigTest {

    @TempDir
    Path home;

    private UserModels load(String yaml, Map<String, String> env) throws IOException {
        Path file = Files.writeString(home.resolve("models.yaml"), yaml);
        var all = new java.util.HashMap<>(env);
        all.put("NCP_MODELS_FILE", file.toString());
        return new ConfigLoader(all, home, Optional.empty()).load(Optional.empty(), Map.of()).userModels();
    }

    @Test
    void upstreamsAndDeploymentsAreReadWithTheirKeysFromTheEnvironment() throws IOException {
        UserModels m = load("""
                upstreams:
                  nim-a: {base_url: "http://10.0.0.5:8000/v1", api_key_env: NIM_A_KEY}
                  nim-b: {base_url: "http://10.0.0.6:8000/v1", weight: 2, rpm: 600, max_concurrent_streams: 8,
                          http2: false, connect_timeout_seconds: 3, headers: {X-Tenant: team-a}, protocol: anthropic}
                models:
                  - id: acme/coder
                    upstreams: [nim-a, nim-b]
                """, Map.of("NIM_A_KEY", "nvapi-a-secret-0123456789"));
        UpstreamDefinition a = m.upstreams().get("nim-a");
        assertEquals(URI.create("http://10.0.0.5:8000/v1"), a.baseUrl());
        assertEquals(Optional.of("nvapi-a-secret-0123456789"), a.apiKey());
        assertEquals(Config.UpstreamProtocol.OPENAI, a.protocol());
        assertFalse(a.toString().contains("secret"), "the key never prints");
        UpstreamDefinition b = m.upstreams().get("nim-b");
        assertEquals(List.of(2, 600, 8), List.of(b.weight(), b.rpm(), b.maxConcurrentStreams()));
        assertEquals(Optional.of(Duration.ofSeconds(3)), b.connectTimeout());
        assertEquals(Map.of("X-Tenant", "team-a"), b.headers());
        assertEquals(Config.UpstreamProtocol.ANTHROPIC, b.protocol());
        assertFalse(b.http2());
        assertEquals(Map.of("acme/coder", List.of("nim-a", "nim-b")), m.deployments());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown upstream | models: [{id: acme/x, upstreams: [nim-z]}] | models (acme/x): upstreams: unknown upstream 'nim-z'; define it under upstreams:",
        "unset variable | 'upstreams: {nim-a: {base_url: \"http://h/v1\", api_key_env: NOPE_KEY}}' | upstreams.nim-a.api_key_env: the variable NOPE_KEY is not set; export the key as NOPE_KEY (or drop api_key_env for an upstream without auth)",
        "key in the file | 'upstreams: {nim-a: {base_url: \"http://h/v1\", api_key: nvapi-x}}' | FILE: upstreams.nim-a.api_key: a key is never written in a file; put it in a variable and name that variable with api_key_env",
        "typo | 'upstreams: {nim-a: {base_url: \"http://h/v1\", wieght: 2}}' | FILE: upstreams.nim-a.wieght: unknown field; known fields: base_url, api_key_env, protocol, headers, connect_timeout_seconds, first_byte_timeout_seconds, http2, max_concurrent_streams, rpm, weight",
        "zero weight | 'upstreams: {nim-a: {base_url: \"http://h/v1\", weight: 0}}' | FILE: upstreams.nim-a.weight: expected a whole number from 1 to 1000000, got 0",
        "no url | 'upstreams: {nim-a: {weight: 1}}' | FILE: upstreams.nim-a.base_url: required: the upstream's OpenAI base URL, e.g. http://10.0.0.5:8000/v1",
        "bad protocol | 'upstreams: {nim-a: {base_url: \"http://h/v1\", protocol: grpc}}' | FILE: upstreams.nim-a.protocol: expected openai or anthropic, got 'grpc'",
        "reserved name | 'upstreams: {default: {base_url: \"http://h/v1\"}}' | FILE: upstreams.default: 'default' names the upstream of NVIDIA_BASE_URL; pick another name",
    })
    void aMistakeStopsStartupNamingItsPlace(String what, String yaml, String message) {
        var e = assertThrows(ConfigException.class, () -> load(yaml, Map.of()));
        assertEquals(message.replace("FILE", home.resolve("models.yaml").toString()), e.getMessage());
    }
}
