package dev.ncp.host.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the upstream.
 *
 * @param baseUrl          e.g. {@code https://integrate.api.nvidia.com/v1} ({@code NVIDIA_BASE_URL}); requests go to
 *                         {@code {baseUrl}/chat/completions}
 * @param apiKey           the bearer key ({@code NVIDIA_API_KEY}); null or blank sends no Authorization header
 *                         (a self-hosted NIM without auth)
 * @param connectTimeout   TCP + TLS connect deadline
 * @param firstByteTimeout deadline for the response headers once the request is sent
 * @param http2            offer HTTP/2 beside HTTP/1.1 over https (ALPN; on by default); HTTP/1.1 servers still work
 * @param maxErrorBodyBytes how much of an error answer's body is read to explain it
 * @param headers          extra headers sent with every request (a named upstream's {@code headers:})
 */
public record UpstreamSettings(
        URI baseUrl,
        String apiKey,
        Duration connectTimeout,
        Duration firstByteTimeout,
        boolean http2,
        int maxErrorBodyBytes,
        java.util.Map<String, String> headers) {

    public UpstreamSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(firstByteTimeout, "firstByteTimeout");
        headers = headers == null ? java.util.Map.of() : java.util.Map.copyOf(headers);
    }

    /** Without extra headers. */
    public UpstreamSettings(URI baseUrl, String apiKey, Duration connectTimeout, Duration firstByteTimeout,
                            boolean http2, int maxErrorBodyBytes) {
        this(baseUrl, apiKey, connectTimeout, firstByteTimeout, http2, maxErrorBodyBytes, java.util.Map.of());
    }

    /** Defaults: 10 s to connect, 10 min to the first byte (long prompts take a while), HTTP/2, 64 KiB errors. */
    public static UpstreamSettings of(URI baseUrl, String apiKey) {
        return new UpstreamSettings(baseUrl, apiKey, Duration.ofSeconds(10), Duration.ofMinutes(10), true, 64 * 1024);
    }

    /** The chat-completions endpoint under the base URL, whether or not the base URL ends with a slash. */
    public URI chatCompletionsUri() {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + "chat/completions");
    }

    @Override
    public String toString() {
        return "UpstreamSettings[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null || apiKey.isBlank() ? "none"
                : "****") + ", connectTimeout=" + connectTimeout + ", firstByteTimeout=" + firstByteTimeout
                + ", http2=" + http2 + "]";
    }
}
