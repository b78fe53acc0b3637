package dev.ncp.host.idempotency;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * What the store holds under an idempotency key: a claim while the first request runs ({@code in_flight}, with a
 * short TTL its owner renews), then the finished answer ({@code done}: status, the headers to replay, and the body
 * bytes exactly as the client got them — the JSON message, or every SSE frame of the stream). Jackson writes the
 * body as base64, so any bytes survive every engine.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IdempotencyEntry(
        @JsonProperty("state") String state,
        @JsonProperty("request_hash") String requestHash,
        @JsonProperty("owner") String owner,
        @JsonProperty("status") Integer status,
        @JsonProperty("headers") Map<String, String> headers,
        @JsonProperty("body") byte[] body) {

    static final String IN_FLIGHT = "in_flight";
    static final String DONE = "done";

    static IdempotencyEntry inFlight(String requestHash, String owner) {
        return new IdempotencyEntry(IN_FLIGHT, requestHash, owner, null, null, null);
    }

    static IdempotencyEntry done(String requestHash, RecordedAnswer answer) {
        return new IdempotencyEntry(DONE, requestHash, null, answer.status(), answer.headers(), answer.body());
    }

    @JsonIgnore
    public boolean isDone() {
        return DONE.equals(state) && status != null && body != null;
    }

    /** The stored answer; only for {@link #isDone()} entries. */
    public RecordedAnswer answer() {
        return new RecordedAnswer(status, headers == null ? Map.of() : headers, body);
    }
}
