package dev.ncp.host.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One named upstream of the {@code upstreams:} section: where a model's deployment is reached and how. Its key is
 * never written in a file: {@code api_key_env} names the variable that holds it, read when the configuration loads.
 *
 * @param name                 the name models list it under ({@code upstreams: [nim-a]}), logs and metrics show
 * @param baseUrl              e.g. {@code http://10.0.0.5:8000/v1}
 * @param apiKeyEnv            the variable holding its key, or empty for an upstream without auth
 * @param apiKey               that variable's value, once read
 * @param protocol             what it speaks: OpenAI chat completions (translated) or the Messages API (passed through)
 * @param headers              extra request headers (a gateway's routing header, a tenant id)
 * @param connectTimeout       its own connect deadline, else {@code NCP_CONNECT_TIMEOUT_SECONDS}
 * @param firstByteTimeout     its own first-byte deadline, else {@code NCP_FIRST_BYTE_TIMEOUT_SECONDS}
 * @param http2                offer HTTP/2 over https
 * @param maxConcurrentStreams most answers in flight to it from this instance; 0 = no cap
 * @param rpm                  most requests per minute to it from this instance; 0 = no cap
 * @param weight               its share of the model's traffic against the model's other deployments
 */
public record UpstreamDefinition(
        String name,
        URI baseUrl,
        Optional<String> apiKeyEnv,
        Optional<String> apiKey,
        Config.UpstreamProtocol protocol,
        Map<String, String> headers,
        Optional<Duration> connectTimeout,
        Optional<Duration> firstByteTimeout,
        boolean http2,
        int maxConcurrentStreams,
        int rpm,
        int weight) {

    public UpstreamDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUrl, "baseUrl");
        headers = Map.copyOf(headers);
    }

    /** The same upstream with its key read from {@code api_key_env}. */
    UpstreamDefinition withKey(String key) {
        return new UpstreamDefinition(name, baseUrl, apiKeyEnv, Optional.ofNullable(key), protocol, headers,
                connectTimeout, firstByteTimeout, http2, maxConcurrentStreams, rpm, weight);
    }

    /** Whether it names a key variable that was unset when it loaded (only a diagnosing load allows that). */
    public boolean keyMissing() {
        return apiKeyEnv.isPresent() && apiKey.isEmpty();
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "UpstreamDefinition[" + name + " " + baseUrl + " " + protocol.name().toLowerCase(java.util.Locale.ROOT)
                + ", key=" + apiKeyEnv.map(v -> "$" + v).orElse("none") + ", weight=" + weight + "]";
    }
}
