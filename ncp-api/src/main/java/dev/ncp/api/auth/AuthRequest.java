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
     * The credential the client presented: {@code x-api-key}, else the token of {@code Authorization: Bearer}.
     */
    default Optional<String> presentedKey() {
        var apiKey = header("x-api-key").map(String::strip).filter(s -> !s.isEmpty());
        if (apiKey.isPresent()) {
            return apiKey;
        }
        return header("authorization")
                .map(String::strip)
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).strip())
                .filter(s -> !s.isEmpty());
    }
}
