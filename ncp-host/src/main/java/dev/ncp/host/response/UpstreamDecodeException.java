package dev.ncp.host.response;

/**
 * The upstream stream could not be decoded: a chunk that is not JSON, or an event larger than the limit. The answer
 * cannot go on — a skipped chunk might have carried a piece of a tool call's JSON — so the caller ends the stream
 * with an error event.
 */
public final class UpstreamDecodeException extends RuntimeException {

    public UpstreamDecodeException(String message, Throwable cause) {
        super(message, cause);
    }

    public UpstreamDecodeException(String message) {
        super(message);
    }
}
