package dev.ncp.api.auth;

import java.util.Optional;

/** The parts of an HTTP request an auth provider may look at. Header names are case-insensitive. */
public interface AuthRequest {

    Optional<String> header(String name);

    String method();

    String path();

    /** The client's IP address. */
    String remoteAddress();

    /**
     * The key headers accepted like {@code x-api-key}, in the order asked: {@code api-key} (Azure-style clients) and
     * {@code x-claude-api-key} are what some clients of other Anthropic proxies send.
     */
    java.util.List<String> KEY_HEADERS = java.util.List.of("x-api-key", "api-key", "x-claude-api-key");

    /**
     * The credential the client presented: {@code x-api-key} (or {@code api-key}, {@code x-claude-api-key}), else the
     * token of {@code Authorization: Bearer}.
     */
    default Optional<String> presentedKey() {
        for (String name : KEY_HEADERS) {
            var apiKey = header(name).map(String::strip).filter(s -> !s.isEmpty());
            if (apiKey.isPresent()) {
                return apiKey;
            }
        }
        return header("authorization")
                .map(String::strip)
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).strip())
                .filter(s -> !s.isEmpty());
    }
}
