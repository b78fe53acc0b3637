package dev.ncp.host.idempotency;

import java.util.Map;

/**
 * A finished answer as the client received it.
 *
 * @param headers the response headers worth replaying (content type, the model ncp chose), lower-case names
 * @param body    the exact bytes: a JSON message, or the whole SSE stream
 */
public record RecordedAnswer(int status, Map<String, String> headers, byte[] body) {

    public RecordedAnswer {
        headers = Map.copyOf(headers);
    }
}
