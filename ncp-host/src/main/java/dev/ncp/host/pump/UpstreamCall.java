package dev.ncp.host.pump;

import dev.ncp.host.upstream.UpstreamResponse;

/**
 * Opens the upstream answer, e.g. {@code () -> upstreamClient.open(chatRequest)}, or a wrapper that retries and
 * falls back. The pump calls it after message_start went out, so the client sees the answer begin (and gets pings)
 * while the upstream thinks. It throws {@link dev.ncp.host.error.ApiError} when there is no answer; an interrupt
 * (the pump aborting a call that takes too long, or whose client left) must make it return promptly.
 */
@FunctionalInterface
public interface UpstreamCall {
    UpstreamResponse open();
}
