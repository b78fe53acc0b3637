package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ncp.host.testing.ProxyHarness;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Raw HTTP against a {@link ProxyHarness} with the JDK client, for what the SDK cannot express or hides: exact
 * bytes, headers, malformed bodies, recorded requests replayed verbatim.
 */
final class Wire {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Headers the JDK client sets itself (and refuses to be given). */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");

    private Wire() {
    }

    /** A finished exchange: status, headers, and the body decoded from any gzip content-encoding. */
    record Reply(int status, java.net.http.HttpHeaders headers, byte[] body) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            return Wire.json(body);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    static Reply post(ProxyHarness h, String path, String body) {
        return send(h, "POST", path, Map.of("content-type", "application/json", "anthropic-version", "2023-06-01"),
                body.getBytes(StandardCharsets.UTF_8));
    }

    static Reply send(ProxyHarness h, String method, String path, Map<String, String> headers, byte[] body) {
        try {
            HttpResponse<byte[]> r = HTTP.send(request(h, method, path, headers, body),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r.headers(), decoded(r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpRequest request(ProxyHarness h, String method, String path, Map<String, String> headers, byte[] body) {
        var builder = HttpRequest.newBuilder(URI.create(h.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((k, v) -> {
            if (!RESTRICTED.contains(k.toLowerCase(Locale.ROOT))) {
                builder.header(k, v);
            }
        });
        return builder.build();
    }

    private static byte[] decoded(HttpResponse<byte[]> r) throws IOException {
        String encoding = r.headers().firstValue("content-encoding").orElse("identity");
        return switch (encoding) {
            case "identity" -> r.body();
            case "gzip" -> new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes();
            default -> throw new AssertionError("unexpected content-encoding " + encoding);
        };
    }

    static JsonNode json(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(bytes, StandardCharsets.UTF_8), e);
        }
    }

    static JsonNode json(String text) {
        return json(text.getBytes(StandardCharsets.UTF_8));
    }

    static ObjectNode object(String text) {
        return (ObjectNode) json(text);
    }

    /** An Anthropic error answer: status, {@code {"type":"error","error":{type,message}}}, a request id. */
    static String assertAnthropicError(Reply r, int status, String type) {
        assertEquals(status, r.status(), r.text());
        JsonNode body = r.json();
        assertEquals("error", body.path("type").asText(), r.text());
        assertEquals(type, body.path("error").path("type").asText(), r.text());
        String message = body.path("error").path("message").asText();
        assertFalse(message.isBlank(), r.text());
        assertRequestId(r);
        assertFalse(r.text().contains(ProxyHarness.UPSTREAM_KEY), "the upstream key leaked: " + r.text());
        return message;
    }

    static void assertRequestId(Reply r) {
        String id = r.header("request-id");
        assertTrue(id != null && id.matches("req_[0-9A-Za-z]{20,}"), "request-id header: " + r.headers().map());
    }
}
