package dev.ncp.host.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the {@code upstreams:} section of the models file or the config file:
 * <pre>
 * upstreams:
 *   nim-a: {base_url: "http://10.0.0.5:8000/v1", api_key_env: NIM_A_KEY}
 *   nim-b: {base_url: "http://10.0.0.6:8000/v1", api_key_env: NIM_B_KEY, weight: 2, rpm: 600}
 *   nim-messages: {base_url: "http://10.0.0.7:8000/v1", protocol: anthropic}
 * </pre>
 * Every failure names {@code source: upstreams.NAME.field}, as the rest of the configuration does. A key itself
 * has no field here on purpose: a file is copied, committed and shared far more often than an environment.
 */
final class UpstreamsSection {

    static final List<String> FIELDS = List.of("base_url", "api_key_env", "protocol", "headers",
            "connect_timeout_seconds", "first_byte_timeout_seconds", "http2", "max_concurrent_streams", "rpm",
            "weight");
    /** Names go into logs, metric labels and storage keys: plain words only. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private UpstreamsSection() {
    }

    static Map<String, UpstreamDefinition> read(JsonNode section, String source) {
        var out = new LinkedHashMap<String, UpstreamDefinition>();
        if (section == null || section.isNull()) {
            return out;
        }
        if (!section.isObject()) {
            throw new ConfigException(source + ": upstreams: expected a mapping of names to upstreams, such as"
                    + " {nim-a: {base_url: \"http://10.0.0.5:8000/v1\", api_key_env: NIM_A_KEY}}.");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), new Reader(source, e.getKey(), e.getValue()).read());
        }
        return out;
    }

    private record Reader(String source, String name, JsonNode node) {

        UpstreamDefinition read() {
            if (!NAME.matcher(name).matches()) {
                throw fail(null, "an upstream name is letters, digits, '.', '_' or '-' (at most 64)");
            }
            if (name.equals("default")) {
                throw fail(null, "'default' names the upstream of NVIDIA_BASE_URL; pick another name");
            }
            if (node == null || !node.isObject()) {
                throw fail(null, "expected a mapping with at least 'base_url:', got " + node);
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (key.equals("api_key")) {
                    throw fail(key, "a key is never written in a file; put it in a variable and name that"
                            + " variable with api_key_env");
                }
                if (!FIELDS.contains(key)) {
                    throw fail(key, "unknown field; known fields: " + String.join(", ", FIELDS));
                }
            }
            Optional<String> keyEnv = text("api_key_env");
            keyEnv.ifPresent(v -> {
                if (!VARIABLE.matcher(v).matches()) {
                    throw fail("api_key_env", "expected a variable name such as NIM_A_KEY, got '" + v + "'");
                }
            });
            return new UpstreamDefinition(name, baseUrl(), keyEnv, Optional.empty(), protocol(), headers(),
                    seconds("connect_timeout_seconds"), seconds("first_byte_timeout_seconds"), bool("http2", true),
                    whole("max_concurrent_streams", 0, 0), whole("rpm", 0, 0), whole("weight", 1, 1));
        }

        private URI baseUrl() {
            String url = text("base_url").orElseThrow(() -> fail("base_url", "required: the upstream's OpenAI"
                    + " base URL, e.g. http://10.0.0.5:8000/v1"));
            try {
                URI uri = new URI(url);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                    throw fail("base_url", "expected an http:// or https:// URL with a host, got '" + url + "'");
                }
                return uri;
            } catch (URISyntaxException e) {
                throw fail("base_url", "not a URL: '" + url + "'");
            }
        }

        private Config.UpstreamProtocol protocol() {
            return switch (text("protocol").orElse("openai").toLowerCase(Locale.ROOT)) {
                case "openai" -> Config.UpstreamProtocol.OPENAI;
                case "anthropic" -> Config.UpstreamProtocol.ANTHROPIC;
                default -> throw fail("protocol", "expected openai or anthropic, got '" + text("protocol").get()
                        + "'");
            };
        }

        private Map<String, String> headers() {
            JsonNode v = node.get("headers");
            var out = new LinkedHashMap<String, String>();
            if (v == null || v.isNull()) {
                return out;
            }
            if (!v.isObject()) {
                throw fail("headers", "expected a mapping of header names to values, got " + v);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> h = it.next();
                String lower = h.getKey().toLowerCase(Locale.ROOT);
                if (lower.equals("authorization") || lower.equals("x-api-key")) {
                    throw fail("headers." + h.getKey(), "credentials come from api_key_env, never from a file");
                }
                if (!h.getValue().isValueNode() || h.getValue().isNull()) {
                    throw fail("headers." + h.getKey(), "expected text, got " + h.getValue());
                }
                out.put(h.getKey(), h.getValue().asText());
            }
            return out;
        }

        private Optional<String> text(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return Optional.empty();
            }
            if (!v.isTextual() || v.asText().isBlank()) {
                throw fail(field, "expected text, got " + v);
            }
            return Optional.of(v.asText().strip());
        }

        private boolean bool(String field, boolean otherwise) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return otherwise;
            }
            if (!v.isBoolean()) {
                throw fail(field, "expected true or false, got " + v);
            }
            return v.asBoolean();
        }

        private int whole(String field, int min, int otherwise) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return otherwise;
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > 1_000_000) {
                throw fail(field, "expected a whole number from " + min + " to 1000000, got " + v);
            }
            return v.asInt();
        }

        private Optional<Duration> seconds(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofSeconds(whole(field, 1, 0)));
        }

        private ConfigException fail(String field, String why) {
            return new ConfigException(source + ": upstreams." + name + (field == null ? "" : "." + field) + ": "
                    + why);
        }
    }
}
