package dev.ncp.host.pump;

import java.util.Objects;

/**
 * One way to produce an answer: the upstream call to make, and how its chunks become the client's events (the
 * model's request shape and processor chain). A retry reuses the source; a fallback brings another model's.
 */
public record AnswerSource(AnswerSpec spec, ProcessorChain chain, UpstreamCall call) {

    public AnswerSource {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(call, "call");
    }
}
